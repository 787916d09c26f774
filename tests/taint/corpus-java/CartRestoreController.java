package com.example.cart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.Base64;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class CartRestoreController {

    private Cart decode(String encoded) throws IOException, ClassNotFoundException {
        byte[] raw = Base64.getDecoder().decode(encoded);
        try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(raw))) {
            return (Cart) ois.readObject();
        }
    }

    @GetMapping("/cart")
    public ResponseEntity<Cart> restore(@CookieValue(name = "cart", required = false) String cartCookie)
            throws IOException, ClassNotFoundException {
        if (cartCookie == null) {
            return ResponseEntity.ok(new Cart());
        }
        return ResponseEntity.ok(decode(cartCookie));
    }
}
