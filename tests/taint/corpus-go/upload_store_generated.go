package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
)

const uploadDir = "/srv/uploads"

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func upload(w http.ResponseWriter, r *http.Request) {
	src, header, err := r.FormFile("file")
	if err != nil {
		http.Error(w, "file missing", http.StatusBadRequest)
		return
	}
	defer src.Close()
	id := newID()
	dst, err := os.Create(filepath.Join(uploadDir, id+".bin"))
	if err != nil {
		http.Error(w, "cannot store", http.StatusInternalServerError)
		return
	}
	defer dst.Close()
	io.Copy(dst, src)
	log.Printf("stored %q as %s", r.FormValue("save_as"), id)
	json.NewEncoder(w).Encode(map[string]string{"id": id, "original": header.Filename})
}

func main() {
	http.HandleFunc("/upload", upload)
	http.ListenAndServe(":8080", nil)
}
