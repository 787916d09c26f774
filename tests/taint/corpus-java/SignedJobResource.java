package com.example.jobs;

import java.io.ByteArrayInputStream;
import java.io.ObjectInputStream;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

@Path("/jobs/signed")
public class SignedJobResource {

    private static final byte[] KEY = System.getenv("JOB_SIGNING_KEY").getBytes();

    private static boolean verified(byte[] payload, String signature) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        byte[] expected = mac.doFinal(payload);
        return signature != null && MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature));
    }

    @POST
    public Response submit(byte[] body, @HeaderParam("X-Signature") String signature) throws Exception {
        if (!verified(body, signature)) {
            return Response.status(Response.Status.FORBIDDEN).build();
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(body))) {
            Object job = in.readObject();
            return Response.accepted(job.getClass().getSimpleName()).build();
        }
    }
}
