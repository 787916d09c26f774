package com.example.web;

import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.stereotype.Controller;

@Controller
public class SearchPageController {

    private static final List<String> ARTICLES = List.of("Spring tips", "Java records", "JVM tuning");

    @GetMapping(value = "/search", produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    public String search(@RequestParam(name = "q", defaultValue = "") String query) {
        List<String> hits = ARTICLES.stream()
                .filter(a -> a.toLowerCase().contains(query.toLowerCase()))
                .collect(Collectors.toList());
        if (hits.isEmpty()) {
            return "<p>Nothing matched <em>" + query + "</em>.</p>";
        }
        return "<ul><li>" + String.join("</li><li>", hits) + "</li></ul>";
    }
}
