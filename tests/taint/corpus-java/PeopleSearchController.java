package com.example.directory;

import java.util.ArrayList;
import java.util.List;
import javax.naming.NamingEnumeration;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class PeopleSearchController {

    private final DirContext directory;

    public PeopleSearchController(DirContext directory) {
        this.directory = directory;
    }

    static String escapeFilterValue(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\': sb.append("\\5c"); break;
                case '*': sb.append("\\2a"); break;
                case '(': sb.append("\\28"); break;
                case ')': sb.append("\\29"); break;
                case '\0': sb.append("\\00"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }

    @GetMapping("/people/search")
    public List<String> search(@RequestParam String name) throws Exception {
        String filter = "(&(objectClass=person)(cn=" + escapeFilterValue(name) + "*))";
        SearchControls sc = new SearchControls();
        sc.setSearchScope(SearchControls.SUBTREE_SCOPE);
        NamingEnumeration<SearchResult> found = directory.search("dc=example,dc=com", filter, sc);
        List<String> names = new ArrayList<>();
        while (found.hasMore()) {
            names.add(found.next().getName());
        }
        return names;
    }
}
