package main

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

func logout(c echo.Context) error {
	c.SetCookie(&http.Cookie{
		Name:    "sid",
		Value:   "",
		Path:    "/",
		Expires: time.Unix(0, 0),
	})
	target := c.FormValue("redirect")
	if target == "" {
		target = "/login"
	}
	return c.Redirect(http.StatusSeeOther, target)
}

func main() {
	e := echo.New()
	e.POST("/logout", logout)
	e.Logger.Fatal(e.Start(":1323"))
}
