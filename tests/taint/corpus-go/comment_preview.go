package main

import (
	"html/template"
	"log"
	"net/http"
)

var previewTmpl = template.Must(template.New("preview").Parse(`
<article class="comment">
  <header>{{.Author}}</header>
  <div class="body">{{.Body}}</div>
</article>`))

type commentView struct {
	Author string
	Body   template.HTML
}

func preview(w http.ResponseWriter, r *http.Request) {
	view := commentView{
		Author: r.PostFormValue("author"),
		Body:   template.HTML(r.PostFormValue("body")),
	}
	if err := previewTmpl.Execute(w, view); err != nil {
		log.Println(err)
	}
}

func main() {
	http.HandleFunc("/comments/preview", preview)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
