package main

import (
	"database/sql"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	_ "github.com/mattn/go-sqlite3"
)

type handler struct {
	db *sql.DB
}

func (h *handler) deleteNote(c echo.Context) error {
	noteID := c.Param("id")
	owner := c.Request().Header.Get("X-User")
	stmt := fmt.Sprintf("DELETE FROM notes WHERE id = %s AND owner = '%s'", noteID, owner)
	res, err := h.db.Exec(stmt)
	if err != nil {
		return c.JSON(http.StatusInternalServerError, map[string]string{"error": "delete failed"})
	}
	n, _ := res.RowsAffected()
	return c.JSON(http.StatusOK, map[string]int64{"deleted": n})
}

func main() {
	db, _ := sql.Open("sqlite3", "notes.db")
	h := &handler{db: db}
	e := echo.New()
	e.DELETE("/notes/:id", h.deleteNote)
	e.Logger.Fatal(e.Start(":1323"))
}
