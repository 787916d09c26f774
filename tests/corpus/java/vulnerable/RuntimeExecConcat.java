// expect: java-command-injection
package com.example.ops;

import java.io.IOException;

public class DiskUsage {
    public Process usage(String directory) throws IOException {
        return Runtime.getRuntime().exec("du -sh " + directory);
    }
}
