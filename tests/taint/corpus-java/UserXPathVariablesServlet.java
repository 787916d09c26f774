package com.example.legacyauth;

import java.io.IOException;
import java.util.Map;
import javax.servlet.ServletException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.namespace.QName;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

@WebServlet("/legacy/login-v2")
public class UserXPathVariablesServlet extends HttpServlet {

    private Document users;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        Map<String, String> vars = Map.of(
                "name", String.valueOf(req.getParameter("user")),
                "password", String.valueOf(req.getParameter("password")));
        XPath xpath = XPathFactory.newInstance().newXPath();
        xpath.setXPathVariableResolver((QName q) -> vars.get(q.getLocalPart()));
        try {
            String role = xpath.evaluate("/users/user[name=$name and password=$password]/role", users);
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
