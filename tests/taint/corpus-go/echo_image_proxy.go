package main

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

var httpClient = &http.Client{Timeout: 10 * time.Second}

func proxyImage(c echo.Context) error {
	host := c.QueryParam("cdn")
	imageID := c.Param("id")
	upstream := fmt.Sprintf("http://%s/images/%s.jpg", host, imageID)

	resp, err := httpClient.Get(upstream)
	if err != nil {
		return c.NoContent(http.StatusBadGateway)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return c.Blob(http.StatusOK, resp.Header.Get("Content-Type"), data)
}

func main() {
	e := echo.New()
	e.GET("/img/:id", proxyImage)
	e.Logger.Fatal(e.Start(":1323"))
}
