// expect: go-ssrf
package webhook

import (
	"io"
	"net/http"
)

func TestWebhook(w http.ResponseWriter, r *http.Request) {
	endpoint := r.FormValue("endpoint")
	resp, err := http.Post(endpoint, "application/json", nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}
