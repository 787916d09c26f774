package importer

import (
	"archive/zip"
	"fmt"
	"path/filepath"
)

func ExtractAll(archive, dest string) error {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if !filepath.IsLocal(f.Name) {
			return fmt.Errorf("unsafe path in archive: %q", f.Name)
		}
		target := filepath.Join(dest, f.Name)
		if err := writeFile(f, target); err != nil {
			return err
		}
	}
	return nil
}
