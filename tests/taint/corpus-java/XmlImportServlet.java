package com.example.imports;

import java.io.IOException;
import javax.servlet.ServletException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

@WebServlet("/import/contacts")
public class XmlImportServlet extends HttpServlet {

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            Document doc = builder.parse(request.getInputStream());
            NodeList contacts = doc.getElementsByTagName("contact");
            response.setContentType("text/plain");
            response.getWriter().println("imported " + contacts.getLength() + " contacts");
            for (int i = 0; i < contacts.getLength(); i++) {
                response.getWriter().println(contacts.item(i).getTextContent());
            }
        } catch (Exception e) {
            throw new ServletException("invalid XML", e);
        }
    }
}
