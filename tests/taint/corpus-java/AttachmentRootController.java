package com.example.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class AttachmentRootController {

    private static final Path ROOT = Paths.get("/var/app/uploads").toAbsolutePath().normalize();

    @GetMapping("/attachments/v2")
    public ResponseEntity<byte[]> attachment(@RequestParam("name") String name) throws IOException {
        Path requested = ROOT.resolve(name).normalize();
        if (!requested.startsWith(ROOT) || !Files.isRegularFile(requested)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        return ResponseEntity.ok(Files.readAllBytes(requested));
    }
}
