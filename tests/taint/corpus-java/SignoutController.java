package com.example.auth;

import java.util.Map;
import javax.servlet.http.HttpSession;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
public class SignoutController {

    private static final Map<String, String> AFTER_SIGNOUT = Map.of(
            "home", "/",
            "login", "/login",
            "survey", "/feedback/exit-survey");

    @GetMapping("/signout/then")
    public String signOut(HttpSession session, @RequestParam(defaultValue = "home") String then) {
        session.invalidate();
        String target = AFTER_SIGNOUT.getOrDefault(then, "/");
        return "redirect:" + target;
    }
}
