package com.example.legacyauth;

import java.io.IOException;
import javax.servlet.ServletException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

@WebServlet("/legacy/login")
public class UserXPathServlet extends HttpServlet {

    private Document users;

    @Override
    public void init() throws ServletException {
        try {
            users = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(getServletContext().getResourceAsStream("/WEB-INF/users.xml"));
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String name = req.getParameter("user");
        String password = req.getParameter("password");
        XPath xpath = XPathFactory.newInstance().newXPath();
        String expression = "/users/user[name='" + name + "' and password='" + password + "']/role";
        try {
            String role = xpath.evaluate(expression, users);
            if (role.isEmpty()) {
                resp.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                return;
            }
            req.getSession().setAttribute("role", role);
            resp.sendRedirect("dashboard");
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }
}
