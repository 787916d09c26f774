package main

import (
	"database/sql"
	"net/http"

	"github.com/gin-gonic/gin"
)

type RegionTotal struct {
	Region  string  `json:"region"`
	Revenue float64 `json:"revenue"`
}

func regionRevenue(db *sql.DB) gin.HandlerFunc {
	return func(c *gin.Context) {
		region := c.PostForm("region")
		year := c.PostForm("year")
		var total RegionTotal
		row := db.QueryRow("SELECT region, SUM(amount) FROM sales WHERE region = '" + region + "' AND year = " + year + " GROUP BY region")
		if err := row.Scan(&total.Region, &total.Revenue); err != nil {
			c.JSON(http.StatusNotFound, gin.H{"error": "no sales"})
			return
		}
		c.JSON(http.StatusOK, total)
	}
}

func main() {
	db, _ := sql.Open("postgres", "postgres://localhost/sales")
	r := gin.Default()
	r.POST("/reports/region", regionRevenue(db))
	r.Run(":8080")
}
