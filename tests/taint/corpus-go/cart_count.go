package main

import (
	"fmt"
	"net/http"
	"strconv"
)

func cartBadge(w http.ResponseWriter, r *http.Request) {
	count, err := strconv.Atoi(r.URL.Query().Get("items"))
	if err != nil || count < 0 {
		count = 0
	}
	label := "items"
	if count == 1 {
		label = "item"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<span class="badge">%d %s in your cart</span>`, count, label)
}

func main() {
	http.HandleFunc("/cart/badge", cartBadge)
	if err := http.ListenAndServe(":8080", nil); err != nil {
		panic(err)
	}
}
