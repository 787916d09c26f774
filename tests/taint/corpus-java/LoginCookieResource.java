package com.example.auth;

import java.util.UUID;
import javax.ws.rs.FormParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.core.NewCookie;
import javax.ws.rs.core.Response;

@Path("/auth")
public class LoginCookieResource {

    private boolean valid(String user, String password) {
        return user != null && password != null && password.length() >= 12;
    }

    @POST
    @Path("/login")
    public Response login(@FormParam("user") String user, @FormParam("password") String password) {
        if (!valid(user, password)) {
            return Response.status(Response.Status.UNAUTHORIZED).build();
        }
        String token = UUID.randomUUID().toString();
        NewCookie auth = new NewCookie("auth_token", token, "/", null, "login session", 3600, false, true);
        return Response.noContent().cookie(auth).build();
    }
}
