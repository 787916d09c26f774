package com.example.developer;

import java.security.SecureRandom;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ApiKeySecureController {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static String randomKey(int length) {
        StringBuilder key = new StringBuilder("sk_");
        for (int i = 0; i < length; i++) {
            key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return key.toString();
    }

    @PostMapping("/developer/v2/api-keys")
    public Map<String, String> issue() {
        String apiKey = randomKey(40);
        return Map.of("apiKey", apiKey);
    }
}
