package com.example.account;

import java.io.IOException;
import java.util.Set;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

@WebServlet("/profile/theme")
public class ThemeServlet extends HttpServlet {

    private static final Set<String> THEMES = Set.of("light", "dark", "high-contrast");

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requested = request.getParameter("theme");
        if (requested == null || !THEMES.contains(requested)) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "unknown theme");
            return;
        }
        request.getSession().setAttribute("theme", requested);
        response.sendRedirect(request.getContextPath() + "/profile");
    }
}
