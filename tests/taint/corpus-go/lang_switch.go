package main

import (
	"net/http"
	"time"
)

func switchLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.URL.Query().Get("lang")
	back := r.URL.Query().Get("back")
	http.SetCookie(w, &http.Cookie{
		Name:    "lang",
		Value:   lang,
		Path:    "/",
		Expires: time.Now().Add(365 * 24 * time.Hour),
	})
	w.Header().Set("Location", back)
	w.WriteHeader(http.StatusFound)
}

func main() {
	http.HandleFunc("/lang", switchLanguage)
	http.ListenAndServe(":8080", nil)
}
