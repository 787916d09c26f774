package com.example.security;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;

public class CurrentUser {
    private final Algorithm algorithm = Algorithm.HMAC256(System.getenv("JWT_SECRET"));

    public String userId(String bearer) {
        DecodedJWT jwt = JWT.require(algorithm).withIssuer("auth.example.com").build()
            .verify(bearer.replace("Bearer ", ""));
        return jwt.getSubject();
    }
}
