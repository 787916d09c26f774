package main

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

func renderFlash(message string) []byte {
	html := `<div class="flash">` + message + `</div><a href="/">Continue</a>`
	return []byte(html)
}

func flashPage(w http.ResponseWriter, r *http.Request) {
	msg := r.URL.Query().Get("msg")
	if msg == "" {
		msg = "Saved."
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(renderFlash(msg))
}

func main() {
	r := chi.NewRouter()
	r.Use(middleware.Logger)
	r.Get("/flash", flashPage)
	http.ListenAndServe(":3000", r)
}
