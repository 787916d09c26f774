package main

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

var catalog = []string{"red shoes", "blue shirt", "green hat"}

func search(c echo.Context) error {
	q := c.QueryParam("q")
	var b strings.Builder
	for _, item := range catalog {
		if strings.Contains(item, strings.ToLower(q)) {
			b.WriteString("<li>" + item + "</li>")
		}
	}
	if b.Len() == 0 {
		escaped := template.HTMLEscapeString(q)
		return c.HTML(http.StatusOK, "<p>No results for <b>"+escaped+"</b></p>")
	}
	return c.HTML(http.StatusOK, "<ul>"+b.String()+"</ul>")
}

func main() {
	e := echo.New()
	e.GET("/search", search)
	e.Logger.Fatal(e.Start(":1323"))
}
