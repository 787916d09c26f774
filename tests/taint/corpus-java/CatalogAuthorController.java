package com.example.library;

import java.util.regex.Pattern;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.w3c.dom.Document;

@RestController
public class CatalogAuthorController {

    private static final Pattern AUTHOR = Pattern.compile("[\\p{L} .-]{1,80}");
    private final Document catalog;

    public CatalogAuthorController(Document catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/books/count-by-author")
    public ResponseEntity<Double> count(@RequestParam String author) throws Exception {
        if (!AUTHOR.matcher(author).matches()) {
            return ResponseEntity.badRequest().build();
        }
        String query = String.format("count(//book[author='%s'])", author);
        Double n = (Double) XPathFactory.newInstance().newXPath().evaluate(query, catalog, XPathConstants.NUMBER);
        return ResponseEntity.ok(n);
    }
}
