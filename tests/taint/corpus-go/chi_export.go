package main

import (
	"net/http"
	"path/filepath"

	"github.com/go-chi/chi/v5"
)

var exportDir = filepath.Join("/var", "exports")

func exportFile(w http.ResponseWriter, r *http.Request) {
	requested := r.URL.Query().Get("f")
	if requested == "" {
		requested = "latest.csv"
	}
	full := filepath.Join(exportDir, requested)
	w.Header().Set("Content-Disposition", "attachment")
	http.ServeFile(w, r, full)
}

func main() {
	r := chi.NewRouter()
	r.Get("/exports", exportFile)
	http.ListenAndServe(":3000", r)
}
