package files

import (
	"net/http"
	"path/filepath"
)

const attachmentsDir = "/var/lib/app/attachments"

func Attachment(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("name"))
	http.ServeFile(w, r, filepath.Join(attachmentsDir, name))
}
