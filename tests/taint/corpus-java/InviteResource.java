package com.example.teams;

import java.util.Random;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.NewCookie;
import javax.ws.rs.core.Response;

@Path("/teams/{team}/invites")
public class InviteResource {

    @POST
    public Response invite(@PathParam("team") String team) {
        Random rng = new Random(System.currentTimeMillis());
        int code = 100000 + rng.nextInt(900000);
        String inviteCode = team + "-" + code;
        NewCookie pending = new NewCookie("pending_invite", inviteCode, "/", null, null, 86400, true, true);
        return Response.ok("{\"invite\":\"" + inviteCode + "\"}").cookie(pending).build();
    }
}
