package com.example.users;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

public class UserRepository {
    private static final String FIND_BY_EMAIL = "SELECT id, name FROM users WHERE email = ?";
    private final Connection connection;

    public UserRepository(Connection connection) {
        this.connection = connection;
    }

    public ResultSet findByEmail(String email) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(FIND_BY_EMAIL);
        ps.setString(1, email);
        return ps.executeQuery();
    }
}
