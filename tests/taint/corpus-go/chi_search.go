package main

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
)

type Product struct {
	ID    int     `json:"id"`
	Title string  `json:"title"`
	Price float64 `json:"price"`
}

func searchProducts(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var sb strings.Builder
		sb.WriteString("SELECT id, title, price FROM products WHERE title LIKE '%")
		sb.WriteString(q.Get("q"))
		sb.WriteString("%'")
		if category := q.Get("category"); category != "" {
			sb.WriteString(" AND category = '" + category + "'")
		}
		rows, err := db.QueryContext(r.Context(), sb.String())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		var out []Product
		for rows.Next() {
			var p Product
			rows.Scan(&p.ID, &p.Title, &p.Price)
			out = append(out, p)
		}
		json.NewEncoder(w).Encode(out)
	}
}

func main() {
	db, _ := sql.Open("postgres", "postgres://localhost/shop")
	r := chi.NewRouter()
	r.Get("/products/search", searchProducts(db))
	http.ListenAndServe(":3000", r)
}
