package com.example.auth;

import java.util.UUID;
import javax.ws.rs.FormParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.core.NewCookie;
import javax.ws.rs.core.Response;

@Path("/auth/v2")
public class LoginCookieSecureResource {

    private static final int ONE_HOUR = 3600;

    @POST
    @Path("/login")
    public Response login(@FormParam("user") String user, @FormParam("password") String password) {
        if (user == null || password == null || password.length() < 12) {
            return Response.status(Response.Status.UNAUTHORIZED).build();
        }
        String token = UUID.randomUUID().toString();
        boolean secure = true;
        NewCookie auth = new NewCookie("auth_token", token, "/", null, "login session", ONE_HOUR, secure, true);
        return Response.noContent().cookie(auth).build();
    }
}
