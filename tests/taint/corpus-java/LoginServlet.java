package com.example.auth;

import java.io.IOException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

@WebServlet("/login")
public class LoginServlet extends HttpServlet {

    private boolean checkPassword(String user, String password) {
        return "admin".equals(user) && System.getenv("ADMIN_PASSWORD").equals(password);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getParameter("username");
        if (!checkPassword(user, request.getParameter("password"))) {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        HttpSession session = request.getSession(true);
        session.setAttribute("authenticated", Boolean.TRUE);
        String returnUrl = request.getParameter("returnUrl");
        response.sendRedirect(returnUrl != null ? returnUrl : request.getContextPath() + "/home");
    }
}
