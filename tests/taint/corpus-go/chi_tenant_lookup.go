package main

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
)

var tenantHosts = map[string]string{
	"acme":    "acme.example.com",
	"globex":  "globex.example.com",
	"initech": "initech.example.com",
}

func welcome(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "tenant")
	host, ok := tenantHosts[slug]
	if !ok {
		http.NotFound(w, r)
		return
	}
	target := fmt.Sprintf("https://%s/welcome", host)
	http.Redirect(w, r, target, http.StatusTemporaryRedirect)
}

func main() {
	r := chi.NewRouter()
	r.Get("/t/{tenant}/welcome", welcome)
	http.ListenAndServe(":3000", r)
}
