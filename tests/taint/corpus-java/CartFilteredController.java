package com.example.cart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.util.Base64;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class CartFilteredController {

    private static final ObjectInputFilter CART_ONLY = ObjectInputFilter.Config.createFilter(
            "com.example.cart.Cart;com.example.cart.CartLine;java.util.ArrayList;java.lang.String;"
                    + "maxdepth=5;maxrefs=500;maxbytes=65536;!*");

    @GetMapping("/cart/v2")
    public ResponseEntity<Cart> restore(@CookieValue(name = "cart", required = false) String cookie)
            throws IOException, ClassNotFoundException {
        if (cookie == null) {
            return ResponseEntity.ok(new Cart());
        }
        byte[] raw = Base64.getDecoder().decode(cookie);
        try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(raw))) {
            ois.setObjectInputFilter(CART_ONLY);
            return ResponseEntity.ok((Cart) ois.readObject());
        }
    }
}
