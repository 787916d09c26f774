package main

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/labstack/echo/v4"
)

const logRoot = "/var/log/app"

var errOutside = errors.New("outside log directory")

func resolveLog(name string) (string, error) {
	abs, err := filepath.Abs(filepath.Join(logRoot, name))
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(abs, logRoot+string(os.PathSeparator)) {
		return "", errOutside
	}
	return abs, nil
}

func main() {
	e := echo.New()
	e.GET("/admin/logs", func(c echo.Context) error {
		full, err := resolveLog(c.QueryParam("file"))
		if err != nil {
			return c.String(http.StatusForbidden, "forbidden")
		}
		data, err := os.ReadFile(full)
		if err != nil {
			return c.String(http.StatusNotFound, "no such log")
		}
		return c.Blob(http.StatusOK, "text/plain", data)
	})
	e.Logger.Fatal(e.Start(":1323"))
}
