package main

import (
	"net/http"
	"path/filepath"

	"github.com/go-chi/chi/v5"
)

const exportDir = "/var/exports"

var exports = map[string]string{
	"daily":   "daily.csv",
	"weekly":  "weekly.csv",
	"monthly": "monthly.xlsx",
}

func exportFile(w http.ResponseWriter, r *http.Request) {
	file, ok := exports[chi.URLParam(r, "period")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Disposition", "attachment; filename="+file)
	http.ServeFile(w, r, filepath.Join(exportDir, file))
}

func main() {
	r := chi.NewRouter()
	r.Get("/exports/{period}", exportFile)
	http.ListenAndServe(":3000", r)
}
