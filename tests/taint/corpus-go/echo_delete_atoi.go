package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

type notes struct {
	db *sql.DB
}

func (n *notes) remove(c echo.Context) error {
	id, err := strconv.Atoi(c.Param("id"))
	if err != nil {
		return c.String(http.StatusBadRequest, "id must be a number")
	}
	stmt := fmt.Sprintf("DELETE FROM notes WHERE id = %d", id)
	res, err := n.db.Exec(stmt)
	if err != nil {
		return c.NoContent(http.StatusInternalServerError)
	}
	count, _ := res.RowsAffected()
	return c.JSON(http.StatusOK, map[string]int64{"deleted": count})
}

func main() {
	db, _ := sql.Open("sqlite3", "notes.db")
	e := echo.New()
	e.DELETE("/notes/:id", (&notes{db: db}).remove)
	e.Logger.Fatal(e.Start(":1323"))
}
