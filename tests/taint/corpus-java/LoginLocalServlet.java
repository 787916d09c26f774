package com.example.auth;

import java.io.IOException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

@WebServlet("/login-local")
public class LoginLocalServlet extends HttpServlet {

    static String localPath(String candidate, String fallback) {
        if (candidate == null || !candidate.startsWith("/")) {
            return fallback;
        }
        if (candidate.startsWith("//") || candidate.chars().anyMatch(c -> c <= ' ' || c == '\\')) {
            return fallback;
        }
        return candidate;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"secret".equals(request.getParameter("password"))) {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        String home = request.getContextPath() + "/home";
        response.sendRedirect(localPath(request.getParameter("returnUrl"), home));
    }
}
