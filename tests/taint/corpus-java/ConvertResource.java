package com.example.media;

import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Response;

@Path("/media")
public class ConvertResource {

    private static final String MEDIA_ROOT = "/data/media";

    private String buildCommand(String id, String codec) {
        return String.format("ffmpeg -y -i %s/%s.mov -c:v %s %s/%s.mp4", MEDIA_ROOT, id, codec, MEDIA_ROOT, id);
    }

    @POST
    @Path("/{id}/convert")
    public Response convert(@PathParam("id") String id, @QueryParam("codec") String codec) throws Exception {
        String cmd = buildCommand(id, codec == null ? "libx264" : codec);
        Process p = Runtime.getRuntime().exec(new String[] {"sh", "-c", cmd});
        int exit = p.waitFor();
        if (exit != 0) {
            return Response.serverError().entity("conversion failed").build();
        }
        return Response.ok("{\"status\":\"converted\"}").build();
    }
}
