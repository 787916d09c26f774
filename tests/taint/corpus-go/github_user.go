package main

import (
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
)

type ghUser struct {
	Login       string `json:"login"`
	Name        string `json:"name"`
	PublicRepos int    `json:"public_repos"`
}

func githubUser(w http.ResponseWriter, r *http.Request) {
	login := url.PathEscape(chi.URLParam(r, "login"))
	resp, err := http.Get("https://api.github.com/users/" + login)
	if err != nil {
		http.Error(w, "github unavailable", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	var u ghUser
	if err := json.NewDecoder(resp.Body).Decode(&u); err != nil {
		http.Error(w, "bad reply", http.StatusBadGateway)
		return
	}
	json.NewEncoder(w).Encode(u)
}

func main() {
	r := chi.NewRouter()
	r.Get("/github/{login}", githubUser)
	http.ListenAndServe(":3000", r)
}
