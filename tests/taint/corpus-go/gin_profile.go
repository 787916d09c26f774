package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type profileForm struct {
	DisplayName string `form:"display_name"`
	Bio         string `form:"bio"`
}

func previewProfile(c *gin.Context) {
	var form profileForm
	if err := c.ShouldBind(&form); err != nil {
		c.String(http.StatusBadRequest, "invalid form")
		return
	}
	page := "<section class=\"profile\"><h2>" + form.DisplayName + "</h2><p>" + form.Bio + "</p></section>"
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(page))
}

func main() {
	r := gin.Default()
	r.POST("/profile/preview", previewProfile)
	r.Run(":8080")
}
