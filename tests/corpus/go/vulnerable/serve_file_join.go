// expect: go-path-traversal
package files

import (
	"net/http"
	"path/filepath"
)

const attachmentsDir = "/var/lib/app/attachments"

func Attachment(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	path := filepath.Join(attachmentsDir, name)
	http.ServeFile(w, r, path)
}
