package main

import (
	"net/http"
	"time"
)

var supported = map[string]bool{"en": true, "de": true, "fr": true, "es": true}

func switchLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.URL.Query().Get("lang")
	if !supported[lang] {
		lang = "en"
	}
	http.SetCookie(w, &http.Cookie{
		Name:    "lang",
		Value:   lang,
		Path:    "/",
		Expires: time.Now().Add(365 * 24 * time.Hour),
	})
	w.Header().Set("Location", "/"+lang+"/")
	w.WriteHeader(http.StatusFound)
}

func main() {
	http.HandleFunc("/lang", switchLanguage)
	http.ListenAndServe(":8080", nil)
}
