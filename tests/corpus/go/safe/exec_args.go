package backup

import (
	"fmt"
	"os/exec"
)

func DumpDatabase(dbName, outFile string) error {
	cmd := exec.Command("pg_dump", "--format=custom", "--file", outFile, dbName)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_dump failed: %v: %s", err, out)
	}
	return nil
}
