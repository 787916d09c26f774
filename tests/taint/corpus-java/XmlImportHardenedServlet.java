package com.example.imports;

import java.io.IOException;
import javax.servlet.ServletException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

@WebServlet("/import/contacts-v2")
public class XmlImportHardenedServlet extends HttpServlet {

    private static DocumentBuilderFactory hardenedFactory() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        return factory;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        try {
            Document doc = hardenedFactory().newDocumentBuilder().parse(request.getInputStream());
            int count = doc.getElementsByTagName("contact").getLength();
            response.setContentType("text/plain");
            response.getWriter().println("imported " + count + " contacts");
        } catch (Exception e) {
            throw new ServletException("invalid XML", e);
        }
    }
}
