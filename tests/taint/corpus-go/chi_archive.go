package main

import (
	"net/http"
	"os/exec"
	"strings"

	"github.com/go-chi/chi/v5"
)

const archiveRoot = "/var/lib/projects"

func buildArchiveCommand(project string) string {
	var b strings.Builder
	b.WriteString("cd ")
	b.WriteString(archiveRoot)
	b.WriteString(" && zip -r /tmp/")
	b.WriteString(project)
	b.WriteString(".zip ")
	b.WriteString(project)
	return b.String()
}

func archiveProject(w http.ResponseWriter, r *http.Request) {
	project := chi.URLParam(r, "project")
	cmd := exec.Command("/bin/sh", "-c", buildArchiveCommand(project))
	if err := cmd.Run(); err != nil {
		http.Error(w, "archive failed", http.StatusInternalServerError)
		return
	}
	http.ServeFile(w, r, "/tmp/"+project+".zip")
}

func main() {
	r := chi.NewRouter()
	r.Get("/projects/{project}/archive", archiveProject)
	http.ListenAndServe(":3000", r)
}
