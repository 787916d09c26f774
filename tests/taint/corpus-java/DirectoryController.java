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
public class DirectoryController {

    private final DirContext directory;

    public DirectoryController(DirContext directory) {
        this.directory = directory;
    }

    @GetMapping("/people")
    public List<String> people(@RequestParam String name) throws Exception {
        String filter = String.format("(&(objectClass=person)(cn=%s*))", name);
        SearchControls sc = new SearchControls();
        sc.setSearchScope(SearchControls.SUBTREE_SCOPE);
        sc.setCountLimit(25);
        NamingEnumeration<SearchResult> found = directory.search("dc=example,dc=com", filter, sc);
        List<String> names = new ArrayList<>();
        while (found.hasMore()) {
            names.add(found.next().getName());
        }
        return names;
    }
}
