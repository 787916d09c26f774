package com.example.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;

@Path("/status")
public class StatusProbeResource {

    private static final Map<String, URI> ENDPOINTS = Map.of(
            "billing", URI.create("http://billing.internal:8080/healthz"),
            "search", URI.create("http://search.internal:9200/_cluster/health"),
            "auth", URI.create("http://auth.internal:8000/healthz"));

    private final HttpClient client = HttpClient.newHttpClient();

    @GET
    @Path("/{service}")
    public Response probe(@PathParam("service") String service) throws Exception {
        URI endpoint = ENDPOINTS.get(service);
        if (endpoint == null) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        HttpResponse<Void> reply = client.send(HttpRequest.newBuilder(endpoint).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        return Response.ok("{\"up\":" + (reply.statusCode() == 200) + "}").build();
    }
}
