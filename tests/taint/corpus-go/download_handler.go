package main

import (
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
)

const filesDir = "/srv/files"

func download(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	f, err := os.Open(filepath.Join(filesDir, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Disposition", "attachment; filename="+filepath.Base(name))
	io.Copy(w, f)
}

func main() {
	http.HandleFunc("/download", download)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
