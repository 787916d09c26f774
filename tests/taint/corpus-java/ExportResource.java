package com.example.exports;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.InputStream;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Response;

@Path("/exports")
public class ExportResource {

    private static final String EXPORT_DIR = "/var/exports";

    private InputStream open(String name) throws FileNotFoundException {
        return new FileInputStream(EXPORT_DIR + File.separator + name);
    }

    @GET
    @Produces("text/csv")
    public Response export(@QueryParam("file") String file) {
        try {
            return Response.ok(open(file)).header("Content-Disposition", "attachment").build();
        } catch (FileNotFoundException e) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
    }
}
