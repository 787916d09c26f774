package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os/exec"
)

type pingResult struct {
	Host   string `json:"host"`
	Output string `json:"output"`
	OK     bool   `json:"ok"`
}

func pingHandler(w http.ResponseWriter, r *http.Request) {
	host := r.URL.Query().Get("host")
	if host == "" {
		http.Error(w, "host is required", http.StatusBadRequest)
		return
	}
	out, err := exec.Command("sh", "-c", "ping -c 1 "+host).CombinedOutput()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(pingResult{Host: host, Output: string(out), OK: err == nil})
}

func main() {
	http.HandleFunc("/ping", pingHandler)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
