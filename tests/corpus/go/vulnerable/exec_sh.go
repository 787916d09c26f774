// expect: go-command-injection
package backup

import (
	"fmt"
	"os/exec"
)

func DumpDatabase(dbName, outFile string) error {
	cmd := exec.Command("sh", "-c", fmt.Sprintf("pg_dump %s | gzip > %s", dbName, outFile))
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_dump failed: %v: %s", err, out)
	}
	return nil
}
