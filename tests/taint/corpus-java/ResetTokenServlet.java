package com.example.recovery;

import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

@WebServlet("/password/forgot")
public class ResetTokenServlet extends HttpServlet {

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private final Random random = new Random();

    private void sendMail(String to, String link) {
        getServletContext().log("mail to " + to + ": " + link.length() + " chars");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String email = request.getParameter("email");
        String token = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        TOKENS.put(token, email);
        sendMail(email, "https://app.example.com/password/reset?token=" + token);
        response.setStatus(HttpServletResponse.SC_ACCEPTED);
    }
}
