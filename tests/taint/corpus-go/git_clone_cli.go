package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: fetch-repo <url> [dir]")
		os.Exit(1)
	}
	repoURL := os.Args[1]
	dest := filepath.Join(os.TempDir(), "checkout")
	if len(os.Args) > 2 {
		dest = os.Args[2]
	}

	script := fmt.Sprintf("rm -rf %s && git clone --depth 1 %s %s", dest, repoURL, dest)
	cmd := exec.Command("sh", "-c", script)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		os.Exit(2)
	}
}
