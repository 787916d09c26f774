package com.example.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

@WebServlet("/state/import-json")
public class StateImportJsonServlet extends HttpServlet {

    public static class SavedState {
        public String theme;
        public List<String> pinnedProjects;
        public int pageSize;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        SavedState state = MAPPER.readValue(request.getInputStream(), SavedState.class);
        request.getSession().setAttribute("pageSize", Math.max(10, Math.min(state.pageSize, 100)));
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
