package com.example.sso;

import java.net.URI;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.NewCookie;
import javax.ws.rs.core.Response;

@Path("/sso")
public class SsoResource {

    private String exchange(String code) {
        return code == null ? "" : Integer.toHexString(code.hashCode());
    }

    @GET
    @Path("/callback")
    public Response callback(@QueryParam("code") String code, @QueryParam("target") String target) {
        String session = exchange(code);
        URI destination = URI.create(target == null ? "/" : target);
        return Response.seeOther(destination)
                .cookie(new NewCookie("sso", session, "/", null, null, 3600, true, true))
                .build();
    }
}
