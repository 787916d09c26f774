package com.example.profile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

@RestController
public class AvatarImportController {

    public record AvatarRequest(String imageUrl) {}

    private final RestTemplate restTemplate = new RestTemplate();

    @PostMapping("/profile/avatar/import")
    public ResponseEntity<String> importAvatar(@RequestBody AvatarRequest request) throws Exception {
        byte[] image = restTemplate.getForObject(request.imageUrl(), byte[].class);
        if (image == null || image.length == 0) {
            return ResponseEntity.badRequest().body("empty image");
        }
        String id = UUID.randomUUID().toString();
        Files.write(Path.of("/var/app/avatars", id + ".img"), image);
        return ResponseEntity.ok(id);
    }
}
