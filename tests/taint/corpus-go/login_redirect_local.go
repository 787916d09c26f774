package main

import (
	"net/http"
	"net/url"
	"os"
	"strings"
)

func localTarget(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/dashboard"
	}
	return u.RequestURI()
}

func login(w http.ResponseWriter, r *http.Request) {
	if r.PostFormValue("password") != os.Getenv("ADMIN_PASSWORD") {
		http.Error(w, "invalid credentials", http.StatusUnauthorized)
		return
	}
	target := localTarget(r.URL.Query().Get("next"))
	http.Redirect(w, r, target, http.StatusFound)
}

func main() {
	http.HandleFunc("/login", login)
	http.ListenAndServe(":8080", nil)
}
