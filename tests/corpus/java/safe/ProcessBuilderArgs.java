package com.example.ops;

import java.io.IOException;

public class DiskUsage {
    public Process usage(String directory) throws IOException {
        return new ProcessBuilder("du", "-sh", directory).redirectErrorStream(true).start();
    }
}
