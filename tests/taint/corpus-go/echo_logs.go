package main

import (
	"net/http"
	"os"
	"path"

	"github.com/labstack/echo/v4"
)

type logService struct {
	dir string
}

func (s logService) read(name string) ([]byte, error) {
	return os.ReadFile(path.Join(s.dir, name))
}

func main() {
	svc := logService{dir: "/var/log/app"}
	e := echo.New()
	e.GET("/admin/logs", func(c echo.Context) error {
		data, err := svc.read(c.QueryParam("file"))
		if err != nil {
			return c.String(http.StatusNotFound, "no such log")
		}
		return c.Blob(http.StatusOK, "text/plain", data)
	})
	e.Logger.Fatal(e.Start(":1323"))
}
