package com.example.support;

import javax.servlet.http.HttpSession;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ImpersonationController {

    @PostMapping("/support/session")
    public ResponseEntity<String> startSupportSession(HttpSession session,
            @RequestHeader(value = "X-Forwarded-User", required = false) String forwardedUser) {
        if (forwardedUser == null || forwardedUser.isBlank()) {
            return ResponseEntity.badRequest().body("missing user");
        }
        String principal = forwardedUser.trim();
        session.setAttribute("authenticatedUser", principal);
        session.setMaxInactiveInterval(30 * 60);
        return ResponseEntity.ok("session started for " + principal.length() + "-character user");
    }
}
