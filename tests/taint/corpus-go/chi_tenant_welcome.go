package main

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
)

func tenantURL(host string) string {
	return fmt.Sprintf("https://%s/welcome", host)
}

func welcome(w http.ResponseWriter, r *http.Request) {
	tenantHost := r.URL.Query().Get("tenant")
	if tenantHost == "" {
		http.Error(w, "tenant is required", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, tenantURL(tenantHost), http.StatusTemporaryRedirect)
}

func main() {
	r := chi.NewRouter()
	r.Get("/welcome", welcome)
	http.ListenAndServe(":3000", r)
}
