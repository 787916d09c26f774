// expect: java-sql-injection
package com.example.reports;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

public class ReportDao {
    private final JdbcTemplate jdbc;

    public ReportDao(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<Map<String, Object>> byRegion(String region) {
        String sql = "SELECT region, SUM(total) AS total FROM sales WHERE region = '" + region + "' GROUP BY region";
        return jdbc.queryForList(sql);
    }
}
