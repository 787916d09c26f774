package com.example.library;

import java.util.ArrayList;
import java.util.List;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

@RestController
public class CatalogController {

    private final Document catalog;

    public CatalogController(Document catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/books/by-author")
    public List<String> byAuthor(@RequestParam String author) throws Exception {
        String query = String.format("//book[author='%s']/title", author);
        XPathExpression expr = XPathFactory.newInstance().newXPath().compile(query);
        NodeList titles = (NodeList) expr.evaluate(catalog, XPathConstants.NODESET);
        List<String> result = new ArrayList<>();
        for (int i = 0; i < titles.getLength(); i++) {
            result.add(titles.item(i).getTextContent());
        }
        return result;
    }
}
