package main

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

var healthEndpoints = map[string]string{
	"billing": "http://billing.internal:8080/healthz",
	"search":  "http://search.internal:9200/_cluster/health",
	"auth":    "http://auth.internal:8000/healthz",
}

var probeClient = &http.Client{Timeout: 2 * time.Second}

func status(c echo.Context) error {
	endpoint, ok := healthEndpoints[c.Param("service")]
	if !ok {
		return c.JSON(http.StatusNotFound, map[string]string{"error": "unknown service"})
	}
	resp, err := probeClient.Get(endpoint)
	up := err == nil && resp.StatusCode == http.StatusOK
	if err == nil {
		resp.Body.Close()
	}
	return c.JSON(http.StatusOK, map[string]bool{"up": up})
}

func main() {
	e := echo.New()
	e.GET("/status/:service", status)
	e.Logger.Fatal(e.Start(":1323"))
}
