// expect: go-hardcoded-password
package db

import (
	"database/sql"

	_ "github.com/go-sql-driver/mysql"
)

func Open() (*sql.DB, error) {
	return sql.Open("mysql", "shop:Sh0pPr0d2024@tcp(mysql.internal:3306)/shop?parseTime=true")
}
