package com.example.preview;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

@RestController
public class UserProxyController {
    private final RestTemplate restTemplate = new RestTemplate();

    @GetMapping("/users/{id}")
    public String user(@PathVariable String id) {
        return restTemplate.getForObject("https://api.example.com/users/{id}", String.class, id);
    }
}
