package com.example.preview;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.util.Set;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

@WebServlet("/preview-partner")
public class FetchAllowedServlet extends HttpServlet {

    private static final Set<String> PARTNER_HOSTS = Set.of("cdn.partner-a.com", "images.partner-b.net");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        URI uri;
        try {
            uri = new URI(request.getParameter("url"));
        } catch (Exception e) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        if (!"https".equals(uri.getScheme()) || !PARTNER_HOSTS.contains(uri.getHost()) || uri.getPort() != -1) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        URL url = uri.toURL();
        HttpURLConnection conn = (HttpURLConnection) url.openConnection();
        conn.setInstanceFollowRedirects(false);
        try (InputStream in = conn.getInputStream()) {
            in.transferTo(response.getOutputStream());
        }
    }
}
