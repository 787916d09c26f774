package com.example.support;

import java.security.Principal;
import javax.servlet.http.HttpSession;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class SupportSessionController {

    @PostMapping("/support/session/v2")
    public ResponseEntity<String> start(HttpSession session, Principal principal,
            @RequestHeader(value = "X-Forwarded-User", required = false) String forwardedUser) {
        if (principal == null) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        if (forwardedUser != null && !forwardedUser.equals(principal.getName())) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).body("user mismatch");
        }
        session.setAttribute("authenticatedUser", principal.getName());
        return ResponseEntity.ok("session started");
    }
}
