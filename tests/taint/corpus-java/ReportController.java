package com.example.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ReportController {

    private static final String OUTPUT = "/tmp/reports/latest";

    @GetMapping("/reports/generate")
    public ResponseEntity<byte[]> generate(@RequestParam String format,
                                           @RequestParam(defaultValue = "30") String days)
            throws IOException, InterruptedException {
        String script = "generate-report --days " + days + " --format " + format + " --out " + OUTPUT;
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        if (process.waitFor() != 0) {
            return ResponseEntity.internalServerError().build();
        }
        return ResponseEntity.ok(Files.readAllBytes(Path.of(OUTPUT)));
    }
}
