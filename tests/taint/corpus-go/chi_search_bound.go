package main

import (
	"database/sql"
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"
)

type Product struct {
	ID    int     `json:"id"`
	Title string  `json:"title"`
	Price float64 `json:"price"`
}

func searchProducts(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		term := "%" + r.URL.Query().Get("q") + "%"
		rows, err := db.QueryContext(r.Context(),
			"SELECT id, title, price FROM products WHERE title ILIKE $1 LIMIT 100", term)
		if err != nil {
			http.Error(w, "search failed", http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		results := []Product{}
		for rows.Next() {
			var p Product
			if rows.Scan(&p.ID, &p.Title, &p.Price) == nil {
				results = append(results, p)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(results)
	}
}

func main() {
	db, _ := sql.Open("postgres", "postgres://localhost/shop")
	r := chi.NewRouter()
	r.Get("/products/search", searchProducts(db))
	http.ListenAndServe(":3000", r)
}
