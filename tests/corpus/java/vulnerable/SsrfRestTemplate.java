// expect: java-ssrf
package com.example.preview;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

@RestController
public class PreviewController {
    private final RestTemplate restTemplate = new RestTemplate();

    @GetMapping("/preview")
    public String preview(@RequestParam("url") String url) {
        String body = restTemplate.getForObject(url, String.class);
        return body == null ? "" : body.substring(0, Math.min(body.length(), 500));
    }
}
