package main

import (
	"fmt"
	"net"
	"net/http"
	"os/exec"
)

func pingHandler(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("ip")
	ip := net.ParseIP(raw)
	if ip == nil {
		http.Error(w, "ip must be an IPv4 or IPv6 address", http.StatusBadRequest)
		return
	}

	out, err := exec.Command("ping", "-c", "1", "-W", "2", ip.String()).CombinedOutput()
	if err != nil {
		fmt.Fprintf(w, "unreachable: %v\n", err)
		return
	}
	w.Write(out)
}

func main() {
	http.HandleFunc("/ping", pingHandler)
	http.ListenAndServe(":8080", nil)
}
