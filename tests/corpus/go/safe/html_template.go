package web

import (
	"html/template"
	"net/http"
)

var profileTmpl = template.Must(template.ParseFiles("templates/profile.html"))

const footer = template.HTML(`<footer>&copy; Example Corp</footer>`)

func Profile(w http.ResponseWriter, r *http.Request) {
	data := struct {
		Bio    string
		Footer template.HTML
	}{Bio: r.FormValue("bio"), Footer: footer}
	profileTmpl.Execute(w, data)
}
