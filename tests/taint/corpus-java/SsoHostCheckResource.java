package com.example.sso;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Response;

@Path("/sso/v2")
public class SsoHostCheckResource {

    private static final Set<String> TRUSTED = Set.of("app.example.com", "admin.example.com");
    private static final URI HOME = URI.create("https://app.example.com/");

    static URI checked(String raw) {
        try {
            URI uri = new URI(raw);
            if ("https".equals(uri.getScheme()) && TRUSTED.contains(uri.getHost())) {
                return uri;
            }
        } catch (URISyntaxException | NullPointerException e) {
            return HOME;
        }
        return HOME;
    }

    @GET
    @Path("/callback")
    public Response callback(@QueryParam("target") String target) {
        return Response.seeOther(checked(target)).build();
    }
}
