package main

import (
	"net/http"
	"os"
	"path/filepath"

	"github.com/gin-gonic/gin"
)

const avatarDir = "./static/avatars"

func avatar(c *gin.Context) {
	file := filepath.Base(c.DefaultQuery("file", "default.png"))
	if file == "." || file == "/" {
		c.Status(http.StatusBadRequest)
		return
	}
	location := filepath.Join(avatarDir, file)
	if _, err := os.Stat(location); err != nil {
		c.Status(http.StatusNotFound)
		return
	}
	c.File(location)
}

func main() {
	router := gin.Default()
	router.GET("/avatar", avatar)
	router.Run(":8080")
}
