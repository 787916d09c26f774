package com.example.reports;

import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ReportFormatController {

    enum ReportFormat { PDF, CSV, HTML }

    @GetMapping("/reports/render")
    public ResponseEntity<String> render(@RequestParam String format) throws Exception {
        ReportFormat chosen;
        try {
            chosen = ReportFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return ResponseEntity.status(HttpStatus.BAD_REQUEST).body("unknown format");
        }
        String script = "generate-report --format " + chosen.name().toLowerCase(Locale.ROOT);
        Process process = new ProcessBuilder("bash", "-c", script).inheritIO().start();
        int exit = process.waitFor();
        return ResponseEntity.ok("exit=" + exit);
    }
}
