package com.example.exports;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.nio.file.Paths;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Response;

@Path("/exports/by-name")
public class ExportNameResource {

    private static final File EXPORT_DIR = new File("/var/exports");

    @GET
    @Produces("text/csv")
    public Response export(@QueryParam("file") String file) {
        if (file == null || file.isBlank()) {
            return Response.status(Response.Status.BAD_REQUEST).build();
        }
        String baseName = Paths.get(file).getFileName().toString();
        try {
            return Response.ok(new FileInputStream(new File(EXPORT_DIR, baseName))).build();
        } catch (FileNotFoundException e) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
    }
}
