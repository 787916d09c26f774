// expect: go-sql-injection
package store

import (
	"database/sql"
	"fmt"
)

type Store struct{ db *sql.DB }

func (s *Store) OrdersByStatus(status string, limit int) (*sql.Rows, error) {
	query := fmt.Sprintf("SELECT id, total FROM orders WHERE status = '%s' LIMIT %d", status, limit)
	return s.db.Query(query)
}
