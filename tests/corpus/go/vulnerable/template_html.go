// expect: go-reflected-xss
package web

import (
	"html/template"
	"net/http"
)

var profileTmpl = template.Must(template.ParseFiles("templates/profile.html"))

func Profile(w http.ResponseWriter, r *http.Request) {
	data := struct{ Bio template.HTML }{Bio: template.HTML(r.FormValue("bio"))}
	profileTmpl.Execute(w, data)
}
