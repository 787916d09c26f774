package com.example.hooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.ws.rs.Consumes;
import javax.ws.rs.FormParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

@Path("/webhooks")
public class WebhookResource {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @POST
    @Path("/test")
    @Consumes("application/x-www-form-urlencoded")
    public Response test(@FormParam("callback") String callback) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(callback))
                .POST(HttpRequest.BodyPublishers.ofString("{\"event\":\"ping\"}"))
                .header("Content-Type", "application/json")
                .build();
        HttpResponse<String> reply = client.send(request, HttpResponse.BodyHandlers.ofString());
        return Response.ok("{\"status\":" + reply.statusCode() + "}").build();
    }
}
