package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

type webhookTest struct {
	CallbackURL string `json:"callback_url" binding:"required"`
	Event       string `json:"event"`
}

var client = &http.Client{Timeout: 5 * time.Second}

func testWebhook(c *gin.Context) {
	var body webhookTest
	if err := c.ShouldBindJSON(&body); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	payload, _ := json.Marshal(map[string]string{"event": body.Event, "source": "settings"})
	req, _ := http.NewRequest(http.MethodPost, body.CallbackURL, bytes.NewReader(payload))
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		c.JSON(http.StatusOK, gin.H{"delivered": false})
		return
	}
	resp.Body.Close()
	c.JSON(http.StatusOK, gin.H{"delivered": true, "status": resp.StatusCode})
}

func main() {
	r := gin.Default()
	r.POST("/webhooks/test", testWebhook)
	r.Run(":8080")
}
