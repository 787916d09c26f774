package main

import (
	"net/http"
	"os/exec"

	"github.com/labstack/echo/v4"
)

func systemReport(c echo.Context) error {
	var script string
	switch c.QueryParam("kind") {
	case "disk":
		script = "df -h | sort -k5 -r"
	case "memory":
		script = "free -m"
	case "load":
		script = "uptime && cat /proc/loadavg"
	default:
		return c.String(http.StatusBadRequest, "unknown report kind")
	}

	out, err := exec.Command("sh", "-c", script).Output()
	if err != nil {
		return c.String(http.StatusInternalServerError, "report failed")
	}
	return c.String(http.StatusOK, string(out))
}

func main() {
	e := echo.New()
	e.GET("/admin/report", systemReport)
	e.Logger.Fatal(e.Start(":1323"))
}
