package com.example.netops;

import java.io.IOException;
import java.util.regex.Pattern;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

@WebServlet("/tools/ping-check")
public class PingCheckServlet extends HttpServlet {

    private static final Pattern HOSTNAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String host = request.getParameter("host");
        if (host == null || !HOSTNAME.matcher(host).matches()) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "invalid host");
            return;
        }
        ProcessBuilder builder = new ProcessBuilder("ping", "-c", "1", "-W", "2", host);
        Process process = builder.start();
        boolean reachable;
        try {
            reachable = process.waitFor() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reachable = false;
        }
        response.setContentType("application/json");
        response.getWriter().write("{\"reachable\":" + reachable + "}");
    }
}
