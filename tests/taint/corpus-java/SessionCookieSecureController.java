package com.example.auth;

import java.time.Duration;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class SessionCookieSecureController {

    private static ResponseCookie sessionCookie(String value) {
        return ResponseCookie.from("SESSION", value)
                .httpOnly(true)
                .secure(true)
                .path("/")
                .maxAge(Duration.ofHours(8))
                .sameSite("Strict")
                .build();
    }

    @PostMapping("/api/v2/session")
    public ResponseEntity<Void> createSession() {
        ResponseCookie cookie = sessionCookie(UUID.randomUUID().toString());
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, cookie.toString()).build();
    }
}
