package web

import (
	"fmt"
	"html"
	"net/http"
)

func Greet(w http.ResponseWriter, r *http.Request) {
	name := html.EscapeString(r.URL.Query().Get("name"))
	w.Header().Set("Content-Type", "text/html")
	fmt.Fprintf(w, "<html><body><h1>Hello, %s</h1></body></html>", name)
}
