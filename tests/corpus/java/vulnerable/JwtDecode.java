// expect: java-jwt-no-verify
package com.example.security;

import com.auth0.jwt.JWT;
import com.auth0.jwt.interfaces.DecodedJWT;

public class CurrentUser {
    public String userId(String bearer) {
        DecodedJWT jwt = JWT.decode(bearer.replace("Bearer ", ""));
        return jwt.getSubject();
    }
}
