package main

import (
	"fmt"
	"net/http"
	"os/exec"

	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()

	r.POST("/media/:id/convert", func(c *gin.Context) {
		id := c.Param("id")
		format := c.DefaultQuery("format", "mp4")
		input := fmt.Sprintf("/data/media/%s.mov", id)
		cmdline := fmt.Sprintf("ffmpeg -y -i %s /data/out/%s.%s", input, id, format)

		if out, err := exec.Command("bash", "-c", cmdline).CombinedOutput(); err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": string(out)})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "converted", "format": format})
	})

	r.Run(":8080")
}
