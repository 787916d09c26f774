package main

import (
	"database/sql"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	_ "github.com/go-sql-driver/mysql"
)

type Order struct {
	ID     int64   `json:"id"`
	Total  float64 `json:"total"`
	Status string  `json:"status"`
}

func listOrders(db *sql.DB) gin.HandlerFunc {
	return func(c *gin.Context) {
		status := c.DefaultQuery("status", "open")
		sortBy := c.DefaultQuery("sort", "created_at")
		query := fmt.Sprintf("SELECT id, total, status FROM orders WHERE status = '%s' ORDER BY %s", status, sortBy)

		rows, err := db.Query(query)
		if err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "database error"})
			return
		}
		defer rows.Close()
		orders := []Order{}
		for rows.Next() {
			var o Order
			rows.Scan(&o.ID, &o.Total, &o.Status)
			orders = append(orders, o)
		}
		c.JSON(http.StatusOK, orders)
	}
}

func main() {
	db, _ := sql.Open("mysql", "app:secret@tcp(127.0.0.1:3306)/shop")
	r := gin.Default()
	r.GET("/orders", listOrders(db))
	r.Run(":8080")
}
