package com.example.jobs;

import java.io.InputStream;
import java.io.ObjectInputStream;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

@Path("/jobs")
public class ObjectUploadResource {

    @POST
    @Consumes("application/x-java-serialized-object")
    public Response submit(InputStream body) {
        try {
            ObjectInputStream stream = new ObjectInputStream(body);
            Object job = stream.readObject();
            if (!(job instanceof Runnable)) {
                return Response.status(Response.Status.BAD_REQUEST).entity("not a job").build();
            }
            new Thread((Runnable) job).start();
            return Response.accepted().build();
        } catch (Exception e) {
            return Response.status(Response.Status.BAD_REQUEST).entity("unreadable job").build();
        }
    }
}
