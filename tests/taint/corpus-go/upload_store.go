package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
)

const uploadDir = "/srv/uploads"

func upload(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(10 << 20); err != nil {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	}
	src, _, err := r.FormFile("file")
	if err != nil {
		http.Error(w, "file missing", http.StatusBadRequest)
		return
	}
	defer src.Close()

	saveAs := r.FormValue("save_as")
	dst, err := os.Create(filepath.Join(uploadDir, saveAs))
	if err != nil {
		http.Error(w, "cannot store", http.StatusInternalServerError)
		return
	}
	defer dst.Close()
	io.Copy(dst, src)
	w.WriteHeader(http.StatusCreated)
}

func main() {
	http.HandleFunc("/upload", upload)
	http.ListenAndServe(":8080", nil)
}
