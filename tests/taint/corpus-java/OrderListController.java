package com.example.shop;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class OrderListController {

    private static final Map<String, String> SORTS = Map.of(
            "newest", "created_at DESC",
            "oldest", "created_at ASC",
            "total", "total DESC");

    private final JdbcTemplate jdbc;

    public OrderListController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/api/orders/list")
    public List<Map<String, Object>> list(@RequestParam(defaultValue = "OPEN") String status,
                                          @RequestParam(defaultValue = "newest") String sort) {
        String orderBy = SORTS.getOrDefault(sort, SORTS.get("newest"));
        String sql = "SELECT id, customer_id, total FROM orders WHERE status = ? ORDER BY " + orderBy;
        return jdbc.queryForList(sql, status);
    }
}
