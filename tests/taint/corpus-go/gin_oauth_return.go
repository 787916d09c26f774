package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func exchange(code string) (string, error) {
	return "token-" + code, nil
}

func callback(c *gin.Context) {
	token, err := exchange(c.Query("code"))
	if err != nil {
		c.AbortWithStatus(http.StatusUnauthorized)
		return
	}
	c.SetCookie("access_token", token, 3600, "/", "", true, true)
	returnTo := c.DefaultQuery("return_to", "/")
	c.Redirect(http.StatusFound, returnTo)
}

func main() {
	r := gin.Default()
	r.GET("/oauth/callback", callback)
	r.Run(":8080")
}
