package main

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
)

type importRequest struct {
	FeedURL string `json:"feed_url"`
}

type rss struct {
	Items []struct {
		Title string `xml:"title"`
	} `xml:"channel>item"`
}

func importFeed(w http.ResponseWriter, r *http.Request) {
	var req importRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	resp, err := http.DefaultClient.Get(req.FeedURL)
	if err != nil {
		http.Error(w, "feed unreachable", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	var feed rss
	xml.NewDecoder(resp.Body).Decode(&feed)
	json.NewEncoder(w).Encode(map[string]int{"items": len(feed.Items)})
}

func main() {
	http.HandleFunc("/feeds/import", importFeed)
	http.ListenAndServe(":8080", nil)
}
