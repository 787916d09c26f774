package com.example.products;

import java.util.List;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

public class ProductSearch {
    private static final Pattern SKU = Pattern.compile("^[A-Z0-9]+(?:-[A-Z0-9]+)*$");
    private final JdbcTemplate jdbc;

    public ProductSearch(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<String> byName(String term) {
        String sql = "SELECT name FROM products WHERE name LIKE ? ORDER BY name";
        return jdbc.queryForList(sql, String.class, "%" + term + "%");
    }

    public boolean validSku(String sku) {
        return SKU.matcher(sku).matches();
    }
}
