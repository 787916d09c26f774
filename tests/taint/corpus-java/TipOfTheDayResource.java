package com.example.ui;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.NewCookie;
import javax.ws.rs.core.Response;

@Path("/tips")
public class TipOfTheDayResource {

    private static final List<String> TIPS = List.of(
            "Press / to search", "Drag cards between columns", "Use ? to list shortcuts");
    private static final Random DISPLAY_RANDOM = new Random();
    private static final SecureRandom TOKENS = new SecureRandom();

    @GET
    public Response tip() {
        String tip = TIPS.get(DISPLAY_RANDOM.nextInt(TIPS.size()));
        byte[] csrf = new byte[16];
        TOKENS.nextBytes(csrf);
        NewCookie csrfCookie = new NewCookie("csrf", HexFormat.of().formatHex(csrf), "/", null, null, -1, true, true);
        return Response.ok("{\"tip\":\"" + tip + "\"}").cookie(csrfCookie).build();
    }
}
