package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
)

const templatesDir = "/etc/mailer/templates"

func loadTemplate(name string) (string, error) {
	if !filepath.IsLocal(name) {
		return "", os.ErrPermission
	}
	raw, err := os.ReadFile(filepath.Join(templatesDir, name))
	return string(raw), err
}

func templateSource(w http.ResponseWriter, r *http.Request) {
	name := r.PostFormValue("template")
	src, err := loadTemplate(name)
	if err != nil {
		http.Error(w, "unknown template", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"name": name, "source": src})
}

func main() {
	http.HandleFunc("/templates/source", templateSource)
	http.ListenAndServe(":8080", nil)
}
