package com.example.media;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Response;

@Path("/thumbnails")
public class ThumbnailResource {

    private static int bounded(String raw, int fallback) {
        try {
            int value = Integer.parseInt(raw);
            return value > 0 && value <= 4096 ? value : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @GET
    public Response make(@QueryParam("w") String w, @QueryParam("h") String h) throws Exception {
        int width = bounded(w, 320);
        int height = bounded(h, 240);
        String cmd = String.format("convert /srv/img/source.png -resize %dx%d /srv/img/thumb.png", width, height);
        Process process = Runtime.getRuntime().exec(new String[] {"/bin/sh", "-c", cmd});
        return process.waitFor() == 0 ? Response.ok().build() : Response.serverError().build();
    }
}
