package main

import (
	"html/template"
	"net/http"

	"github.com/go-chi/chi/v5"
)

var flashTmpl = template.Must(template.New("flash").Parse(
	`<div class="flash">{{.}}</div><a href="/">Continue</a>`))

func flashPage(w http.ResponseWriter, r *http.Request) {
	msg := r.URL.Query().Get("msg")
	if msg == "" {
		msg = "Saved."
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := flashTmpl.Execute(w, msg); err != nil {
		http.Error(w, "render failed", http.StatusInternalServerError)
	}
}

func main() {
	r := chi.NewRouter()
	r.Get("/flash", flashPage)
	http.ListenAndServe(":3000", r)
}
