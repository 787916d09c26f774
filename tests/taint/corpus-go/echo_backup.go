package main

import (
	"context"
	"net/http"
	"os/exec"
	"time"

	"github.com/labstack/echo/v4"
)

func backupDatabase(c echo.Context) error {
	dbName := c.FormValue("database")
	ctx, cancel := context.WithTimeout(c.Request().Context(), 5*time.Minute)
	defer cancel()

	script := "pg_dump " + dbName + " | gzip > /backups/" + dbName + ".sql.gz"
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", script)
	if err := cmd.Run(); err != nil {
		return c.JSON(http.StatusInternalServerError, map[string]string{"error": err.Error()})
	}
	return c.JSON(http.StatusOK, map[string]string{"backup": dbName + ".sql.gz"})
}

func main() {
	e := echo.New()
	e.POST("/admin/backup", backupDatabase)
	e.Logger.Fatal(e.Start(":1323"))
}
