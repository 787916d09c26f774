package main

import (
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"
)

var profileTmpl = template.Must(template.New("profile").Parse(
	`<section class="profile"><h2>{{.DisplayName}}</h2><p>{{.Bio}}</p></section>`))

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
	c.Header("Content-Type", "text/html; charset=utf-8")
	if err := profileTmpl.Execute(c.Writer, form); err != nil {
		c.Status(http.StatusInternalServerError)
	}
}

func main() {
	r := gin.Default()
	r.POST("/profile/preview", previewProfile)
	r.Run(":8080")
}
