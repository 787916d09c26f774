// expect: java-hardcoded-password
package com.example.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

public class Database {
    private static final String URL = "jdbc:postgresql://db.prod.internal:5432/orders";

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, "orders_app", "0rdersPr0d!");
    }
}
