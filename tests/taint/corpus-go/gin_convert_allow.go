package main

import (
	"fmt"
	"net/http"
	"os/exec"
	"strconv"

	"github.com/gin-gonic/gin"
)

var codecs = map[string]string{
	"mp4":  "libx264",
	"webm": "libvpx-vp9",
	"gif":  "gif",
}

func convert(c *gin.Context) {
	id, err := strconv.Atoi(c.Param("id"))
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "id must be numeric"})
		return
	}
	format := c.DefaultQuery("format", "mp4")
	codec, ok := codecs[format]
	if !ok {
		c.JSON(http.StatusBadRequest, gin.H{"error": "unsupported format"})
		return
	}
	line := fmt.Sprintf("ffmpeg -y -i /data/media/%d.mov -c:v %s /data/out/%d.%s", id, codec, id, format)
	if err := exec.Command("sh", "-c", line).Run(); err != nil {
		c.Status(http.StatusInternalServerError)
		return
	}
	c.JSON(http.StatusOK, gin.H{"id": id, "format": format})
}

func main() {
	r := gin.Default()
	r.POST("/media/:id/convert", convert)
	r.Run()
}
