package main

import (
	"database/sql"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

var sortColumns = map[string]string{
	"newest": "created_at DESC",
	"oldest": "created_at ASC",
	"total":  "total DESC",
}

func listOrders(db *sql.DB) gin.HandlerFunc {
	return func(c *gin.Context) {
		status := c.DefaultQuery("status", "open")
		order, ok := sortColumns[c.DefaultQuery("sort", "newest")]
		if !ok {
			order = sortColumns["newest"]
		}
		query := fmt.Sprintf("SELECT id, total, status FROM orders WHERE status = ? ORDER BY %s", order)
		rows, err := db.Query(query, status)
		if err != nil {
			c.AbortWithStatus(http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		var ids []int64
		for rows.Next() {
			var id int64
			var total float64
			var st string
			rows.Scan(&id, &total, &st)
			ids = append(ids, id)
		}
		c.JSON(http.StatusOK, gin.H{"ids": ids})
	}
}

func main() {
	db, _ := sql.Open("mysql", "app:secret@/shop")
	r := gin.Default()
	r.GET("/orders", listOrders(db))
	r.Run(":8080")
}
