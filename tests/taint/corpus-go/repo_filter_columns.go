package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

var filterable = map[string]bool{"country": true, "plan": true, "status": true}

type CustomerRepo struct{ DB *sql.DB }

func (repo CustomerRepo) Count(filter map[string]string) (int, error) {
	keys := make([]string, 0, len(filter))
	for k := range filter {
		if filterable[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	clauses := make([]string, 0, len(keys))
	args := make([]any, 0, len(keys))
	for i, k := range keys {
		clauses = append(clauses, fmt.Sprintf("%s = $%d", k, i+1))
		args = append(args, filter[k])
	}
	query := "SELECT COUNT(*) FROM customers"
	if len(clauses) > 0 {
		query += " WHERE " + strings.Join(clauses, " AND ")
	}
	var n int
	err := repo.DB.QueryRow(query, args...).Scan(&n)
	return n, err
}

func countHandler(repo CustomerRepo) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var filter map[string]string
		if err := json.NewDecoder(r.Body).Decode(&filter); err != nil {
			http.Error(w, "bad filter", http.StatusBadRequest)
			return
		}
		n, _ := repo.Count(filter)
		json.NewEncoder(w).Encode(map[string]int{"count": n})
	}
}

func main() {
	db, _ := sql.Open("postgres", "postgres://localhost/crm")
	http.Handle("/customers/count", countHandler(CustomerRepo{DB: db}))
	http.ListenAndServe(":8080", nil)
}
