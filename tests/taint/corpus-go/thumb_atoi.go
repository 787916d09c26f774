package main

import (
	"fmt"
	"log"
	"net/http"
	"os/exec"
	"strconv"
)

func dimension(r *http.Request, key string, fallback int) int {
	v, err := strconv.Atoi(r.URL.Query().Get(key))
	if err != nil || v <= 0 || v > 4096 {
		return fallback
	}
	return v
}

func thumbnail(w http.ResponseWriter, r *http.Request) {
	width := dimension(r, "w", 320)
	height := dimension(r, "h", 240)
	cmd := fmt.Sprintf("convert /srv/img/source.png -resize %dx%d /srv/img/thumb_%d_%d.png",
		width, height, width, height)
	if err := exec.Command("/bin/sh", "-c", cmd).Run(); err != nil {
		http.Error(w, "resize failed", http.StatusInternalServerError)
		return
	}
	http.ServeFile(w, r, fmt.Sprintf("/srv/img/thumb_%d_%d.png", width, height))
}

func main() {
	http.HandleFunc("/thumbnail", thumbnail)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
