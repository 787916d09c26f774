package main

import (
	"encoding/json"
	"log"
	"net/http"
	"time"
)

type echoReply struct {
	Message  string    `json:"message"`
	Received time.Time `json:"received"`
}

func echoMessage(w http.ResponseWriter, r *http.Request) {
	msg := r.URL.Query().Get("message")
	reply := echoReply{Message: msg, Received: time.Now().UTC()}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if err := json.NewEncoder(w).Encode(reply); err != nil {
		log.Printf("encode: %v", err)
	}
}

func main() {
	http.HandleFunc("/api/echo", echoMessage)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
