// expect: java-unsafe-deserialization
package com.example.session;

import java.io.ByteArrayInputStream;
import java.io.ObjectInputStream;
import java.util.Base64;

public class SessionCodec {
    public Object decode(String cookieValue) throws Exception {
        byte[] data = Base64.getDecoder().decode(cookieValue);
        ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data));
        return in.readObject();
    }
}
