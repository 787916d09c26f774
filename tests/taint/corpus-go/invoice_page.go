package main

import (
	"log"
	"net/http"
	"text/template"
)

const invoicePage = `<!doctype html>
<html><body>
<h1>Invoice for {{.Customer}}</h1>
<p>Reference: {{.Reference}}</p>
</body></html>`

var invoiceTmpl = template.Must(template.New("invoice").Parse(invoicePage))

func showInvoice(w http.ResponseWriter, r *http.Request) {
	data := map[string]string{
		"Customer":  r.URL.Query().Get("customer"),
		"Reference": r.URL.Query().Get("ref"),
	}
	w.Header().Set("Content-Type", "text/html")
	if err := invoiceTmpl.Execute(w, data); err != nil {
		http.Error(w, "render failed", http.StatusInternalServerError)
	}
}

func main() {
	http.HandleFunc("/invoice", showInvoice)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
