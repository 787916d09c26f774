package main

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

var afterLogout = map[string]string{
	"home":    "/",
	"login":   "/login",
	"goodbye": "/pages/goodbye",
}

func logout(c echo.Context) error {
	c.SetCookie(&http.Cookie{Name: "sid", Value: "", Path: "/", Expires: time.Unix(0, 0)})
	target, ok := afterLogout[c.FormValue("then")]
	if !ok {
		target = afterLogout["home"]
	}
	return c.Redirect(http.StatusSeeOther, target)
}

func main() {
	e := echo.New()
	e.POST("/logout", logout)
	e.Logger.Fatal(e.Start(":1323"))
}
