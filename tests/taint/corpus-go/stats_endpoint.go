package main

import (
	"database/sql"
	"log"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

const statsQuery = `SELECT plan, COUNT(*) FROM subscriptions WHERE active = true GROUP BY plan`

func planStats(db *sql.DB) gin.HandlerFunc {
	return func(c *gin.Context) {
		wanted := strings.ToLower(c.Query("plan"))
		log.Printf("stats requested for plan=%q by %s", wanted, c.ClientIP())
		rows, err := db.Query(statsQuery)
		if err != nil {
			c.AbortWithStatus(http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		counts := map[string]int{}
		for rows.Next() {
			var plan string
			var n int
			rows.Scan(&plan, &n)
			if wanted == "" || strings.ToLower(plan) == wanted {
				counts[plan] = n
			}
		}
		c.JSON(http.StatusOK, counts)
	}
}

func main() {
	db, _ := sql.Open("postgres", "postgres://localhost/billing")
	r := gin.Default()
	r.GET("/stats/plans", planStats(db))
	r.Run(":8080")
}
