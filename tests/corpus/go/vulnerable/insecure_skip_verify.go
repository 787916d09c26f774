// expect: go-tls-insecure-skip-verify
package client

import (
	"crypto/tls"
	"net/http"
	"time"
)

func NewInternalClient() *http.Client {
	return &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
		},
	}
}
