package main

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
)

var titleRe = regexp.MustCompile(`(?i)<title>([^<]*)</title>`)

func preview(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	resp, err := http.Get(target)
	if err != nil {
		http.Error(w, "fetch failed", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	title := ""
	if m := titleRe.FindSubmatch(body); m != nil {
		title = string(m[1])
	}
	json.NewEncoder(w).Encode(map[string]any{"url": target, "status": resp.StatusCode, "title": title})
}

func main() {
	http.HandleFunc("/preview", preview)
	http.ListenAndServe(":8080", nil)
}
