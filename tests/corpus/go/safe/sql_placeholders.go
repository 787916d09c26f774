package store

import "database/sql"

type Store struct{ db *sql.DB }

func (s *Store) OrdersByStatus(status string, limit int) (*sql.Rows, error) {
	return s.db.Query("SELECT id, total FROM orders WHERE status = $1 LIMIT $2", status, limit)
}
