package com.example.state;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.Map;
import javax.servlet.ServletException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

@WebServlet("/state/import")
public class SessionImportServlet extends HttpServlet {

    @Override
    @SuppressWarnings("unchecked")
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        Map<String, Object> state;
        try (ObjectInputStream in = new ObjectInputStream(request.getInputStream())) {
            state = (Map<String, Object>) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new ServletException("unknown state format", e);
        }
        request.getSession().setAttribute("importedKeys", state.size());
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
