package db

import (
	"database/sql"
	"os"

	"github.com/go-sql-driver/mysql"
)

func Open() (*sql.DB, error) {
	cfg := mysql.Config{
		User:   os.Getenv("DB_USER"),
		Passwd: os.Getenv("DB_PASSWORD"),
		Net:    "tcp",
		Addr:   "mysql.internal:3306",
		DBName: "shop",
	}
	return sql.Open("mysql", cfg.FormatDSN())
}
