package com.example.developer;

import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ApiKeyController {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static String randomKey(int length) {
        StringBuilder key = new StringBuilder("sk_");
        for (int i = 0; i < length; i++) {
            int index = (int) (Math.random() * ALPHABET.length());
            key.append(ALPHABET.charAt(index));
        }
        return key.toString();
    }

    @PostMapping("/developer/api-keys")
    public Map<String, String> issue() {
        String apiKey = randomKey(40);
        return Map.of("apiKey", apiKey, "note", "store this key now; it is shown only once");
    }
}
