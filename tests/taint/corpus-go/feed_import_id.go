package main

import (
	"encoding/json"
	"net/http"
	"strconv"
)

const feedService = "https://feeds.example.com/v1/feeds/"

func importFeed(w http.ResponseWriter, r *http.Request) {
	var req struct {
		FeedID string `json:"feed_id"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	id, err := strconv.Atoi(req.FeedID)
	if err != nil || id <= 0 {
		http.Error(w, "feed_id must be a positive number", http.StatusBadRequest)
		return
	}
	resp, err := http.DefaultClient.Get(feedService + strconv.Itoa(id) + "/items")
	if err != nil {
		http.Error(w, "feed service unreachable", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
}

func main() {
	http.HandleFunc("/feeds/import", importFeed)
	http.ListenAndServe(":8080", nil)
}
