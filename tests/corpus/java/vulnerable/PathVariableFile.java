// expect: java-path-traversal
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
    private static final String INVOICE_DIR = "/srv/invoices";

    @GetMapping("/invoices/{file}")
    public ResponseEntity<byte[]> invoice(@PathVariable String file) throws IOException {
        Path path = Paths.get(INVOICE_DIR, file);
        return ResponseEntity.ok(Files.readAllBytes(path));
    }
}
