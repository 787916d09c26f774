package main

import (
	"io"
	"net/http"
	"net/url"
	"os"
)

const weatherAPI = "https://api.weather.example.com/v2/current"

func weather(w http.ResponseWriter, r *http.Request) {
	city := r.URL.Query().Get("city")
	if city == "" {
		city = "Berlin"
	}
	endpoint := weatherAPI + "?city=" + url.QueryEscape(city) + "&key=" + os.Getenv("WEATHER_KEY")
	resp, err := http.Get(endpoint)
	if err != nil {
		http.Error(w, "weather unavailable", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", "application/json")
	io.Copy(w, resp.Body)
}

func main() {
	http.HandleFunc("/weather", weather)
	http.ListenAndServe(":8080", nil)
}
