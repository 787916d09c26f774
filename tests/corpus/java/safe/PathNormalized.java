package com.example.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class InvoiceController {
    private static final Path INVOICE_DIR = Paths.get("/srv/invoices").toAbsolutePath().normalize();

    @GetMapping("/invoices/{file}")
    public ResponseEntity<byte[]> invoice(@PathVariable String file) throws IOException {
        Path path = INVOICE_DIR.resolve(file).normalize();
        if (!path.startsWith(INVOICE_DIR)) {
            return ResponseEntity.badRequest().build();
        }
        return ResponseEntity.ok(Files.readAllBytes(path));
    }
}
