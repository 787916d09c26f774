// expect: go-tls-min-version
package server

import (
	"crypto/tls"
	"net/http"
)

func New(handler http.Handler) *http.Server {
	return &http.Server{
		Addr:      ":8443",
		Handler:   handler,
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS10},
	}
}
