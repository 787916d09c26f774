package main

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"
)

type job struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

func notify(callback string, j job) error {
	body, _ := json.Marshal(j)
	resp, err := http.Post(callback, "application/json", bytes.NewBuffer(body))
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func submitJob(w http.ResponseWriter, r *http.Request) {
	j := job{ID: chi.URLParam(r, "id"), Status: "queued"}
	if cb := r.Header.Get("X-Callback-URL"); cb != "" {
		go notify(cb, j)
	}
	w.WriteHeader(http.StatusAccepted)
	json.NewEncoder(w).Encode(j)
}

func main() {
	r := chi.NewRouter()
	r.Post("/jobs/{id}", submitJob)
	http.ListenAndServe(":3000", r)
}
