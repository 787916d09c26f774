package main

import (
	"bytes"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"
)

var allowedWebhookHosts = map[string]struct{}{
	"hooks.slack.com": {},
	"discord.com":     {},
}

var client = &http.Client{Timeout: 5 * time.Second}

func testWebhook(c *gin.Context) {
	var body struct {
		CallbackURL string `json:"callback_url"`
	}
	if err := c.ShouldBindJSON(&body); err != nil {
		c.Status(http.StatusBadRequest)
		return
	}
	u, err := url.Parse(body.CallbackURL)
	if err != nil || u.Scheme != "https" || u.Port() != "" {
		c.JSON(http.StatusBadRequest, gin.H{"error": "https URL required"})
		return
	}
	if _, ok := allowedWebhookHosts[u.Hostname()]; !ok {
		c.JSON(http.StatusBadRequest, gin.H{"error": "host not allowed"})
		return
	}
	resp, err := client.Post(u.String(), "application/json", bytes.NewBufferString(`{"text":"test"}`))
	if err != nil {
		c.JSON(http.StatusOK, gin.H{"delivered": false})
		return
	}
	resp.Body.Close()
	c.JSON(http.StatusOK, gin.H{"delivered": true})
}

func main() {
	r := gin.Default()
	r.POST("/webhooks/test", testWebhook)
	r.Run(":8080")
}
