// expect: java-weak-cipher
package com.example.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

public class CardEncryptor {
    public byte[] encrypt(byte[] key, byte[] cardNumber) throws Exception {
        Cipher cipher = Cipher.getInstance("DES/ECB/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
        return cipher.doFinal(cardNumber);
    }
}
