package com.example.auth;

import javax.servlet.http.HttpSession;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
public class LogoutController {

    @GetMapping("/signout")
    public String signOut(HttpSession session,
                          @RequestParam(value = "next", required = false) String next) {
        session.invalidate();
        if (next == null || next.isEmpty()) {
            return "redirect:/";
        }
        return "redirect:" + next;
    }
}
