package com.example.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class AttachmentController {

    private static final String UPLOAD_DIR = "/var/app/uploads";

    @GetMapping("/attachments")
    public ResponseEntity<byte[]> attachment(@RequestParam("name") String name) throws IOException {
        byte[] content = Files.readAllBytes(Paths.get(UPLOAD_DIR + "/" + name));
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                .body(content);
    }
}
