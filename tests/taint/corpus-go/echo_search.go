package main

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

var catalog = []string{"red shoes", "blue shirt", "green hat"}

func search(c echo.Context) error {
	q := c.QueryParam("q")
	var hits []string
	for _, item := range catalog {
		if strings.Contains(item, strings.ToLower(q)) {
			hits = append(hits, "<li>"+item+"</li>")
		}
	}
	if len(hits) == 0 {
		return c.HTML(http.StatusOK, "<p>No results for <b>"+q+"</b></p>")
	}
	return c.HTML(http.StatusOK, "<ul>"+strings.Join(hits, "")+"</ul>")
}

func main() {
	e := echo.New()
	e.GET("/search", search)
	e.Logger.Fatal(e.Start(":1323"))
}
