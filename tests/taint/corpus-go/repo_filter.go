package main

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"strings"
)

type CustomerRepo struct {
	DB *sql.DB
}

func (repo CustomerRepo) Count(filter map[string]string) (int, error) {
	clauses := make([]string, 0, len(filter))
	for column, value := range filter {
		clauses = append(clauses, column+" = '"+value+"'")
	}
	query := "SELECT COUNT(*) FROM customers"
	if len(clauses) > 0 {
		query += " WHERE " + strings.Join(clauses, " AND ")
	}
	var n int
	err := repo.DB.QueryRow(query).Scan(&n)
	return n, err
}

func countHandler(repo CustomerRepo) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var filter map[string]string
		if err := json.NewDecoder(r.Body).Decode(&filter); err != nil {
			http.Error(w, "bad filter", http.StatusBadRequest)
			return
		}
		n, err := repo.Count(filter)
		if err != nil {
			http.Error(w, "count failed", http.StatusInternalServerError)
			return
		}
		json.NewEncoder(w).Encode(map[string]int{"count": n})
	}
}

func main() {
	db, _ := sql.Open("postgres", "postgres://localhost/crm")
	http.Handle("/customers/count", countHandler(CustomerRepo{DB: db}))
	http.ListenAndServe(":8080", nil)
}
