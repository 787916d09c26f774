package com.example.web;

import java.io.IOException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

@WebServlet("/pager")
public class PageCountServlet extends HttpServlet {

    private static final int TOTAL_PAGES = 42;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int page;
        try {
            page = Integer.parseInt(request.getParameter("page"));
        } catch (NumberFormatException e) {
            page = 1;
        }
        page = Math.max(1, Math.min(page, TOTAL_PAGES));
        response.setContentType("text/html");
        response.getWriter().print("<nav>Page " + page + " of " + TOTAL_PAGES + "</nav>");
    }
}
