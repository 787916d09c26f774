package main

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
)

var trustedHosts = map[string]bool{
	"app.example.com":   true,
	"admin.example.com": true,
}

func safeReturn(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || !trustedHosts[u.Hostname()] {
		return "https://app.example.com/"
	}
	return u.String()
}

func callback(c *gin.Context) {
	if c.Query("code") == "" {
		c.AbortWithStatus(http.StatusUnauthorized)
		return
	}
	c.SetCookie("logged_in", "1", 3600, "/", "", true, true)
	c.Redirect(http.StatusFound, safeReturn(c.Query("return_to")))
}

func main() {
	r := gin.Default()
	r.GET("/oauth/callback", callback)
	r.Run(":8080")
}
