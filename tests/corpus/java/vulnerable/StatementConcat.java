// expect: java-sql-injection
package com.example.users;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

public class UserRepository {
    private final Connection connection;

    public UserRepository(Connection connection) {
        this.connection = connection;
    }

    public ResultSet findByEmail(String email) throws SQLException {
        Statement stmt = connection.createStatement();
        return stmt.executeQuery("SELECT id, name FROM users WHERE email = '" + email + "'");
    }
}
