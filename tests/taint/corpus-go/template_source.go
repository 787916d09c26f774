package main

import (
	"encoding/json"
	"io/ioutil"
	"net/http"
)

const templatesDir = "/etc/mailer/templates"

type templateResponse struct {
	Name   string `json:"name"`
	Source string `json:"source"`
}

func loadTemplate(name string) (string, error) {
	raw, err := ioutil.ReadFile(templatesDir + "/" + name)
	return string(raw), err
}

func templateSource(w http.ResponseWriter, r *http.Request) {
	name := r.PostFormValue("template")
	src, err := loadTemplate(name)
	if err != nil {
		http.Error(w, "unknown template", http.StatusNotFound)
		return
	}
	json.NewEncoder(w).Encode(templateResponse{Name: name, Source: src})
}

func main() {
	http.HandleFunc("/templates/source", templateSource)
	http.ListenAndServe(":8080", nil)
}
