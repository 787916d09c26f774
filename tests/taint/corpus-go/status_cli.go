package main

import (
	"fmt"
	"os"
	"os/exec"
)

const rawShell = false

func run(args []string) ([]byte, error) {
	if rawShell {
		return exec.Command("sh", "-c", args[0]).CombinedOutput()
	}
	return exec.Command("git", "status", "--short").CombinedOutput()
}

func main() {
	args := os.Args[1:]
	if len(args) == 0 {
		args = []string{"status"}
	}
	fmt.Printf("running %q in %s\n", args[0], mustCwd())
	out, err := run(args)
	os.Stdout.Write(out)
	if err != nil {
		os.Exit(1)
	}
}

func mustCwd() string {
	dir, err := os.Getwd()
	if err != nil {
		return "?"
	}
	return dir
}
