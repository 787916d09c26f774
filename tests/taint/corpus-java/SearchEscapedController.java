package com.example.web;

import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.util.HtmlUtils;

@Controller
public class SearchEscapedController {

    private static final List<String> ARTICLES = List.of("Spring tips", "Java records", "JVM tuning");

    @GetMapping(value = "/search-safe", produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    public String search(@RequestParam(name = "q", defaultValue = "") String query) {
        String needle = query.toLowerCase();
        long count = ARTICLES.stream().filter(a -> a.toLowerCase().contains(needle)).count();
        String shown = HtmlUtils.htmlEscape(query);
        return "<p>" + count + " articles matched <em>" + shown + "</em>.</p>";
    }
}
