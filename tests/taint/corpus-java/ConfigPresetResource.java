package com.example.config;

import java.util.Map;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

@Path("/config/presets")
public class ConfigPresetResource {

    private static final Map<String, String> PRESETS = Map.of(
            "timeout", "/settings/section[@name='http']/entry[@key='timeout']/@value",
            "pool", "/settings/section[@name='db']/entry[@key='pool']/@value",
            "theme", "/settings/section[@name='ui']/entry[@key='theme']/@value");

    @Inject
    Document settings;

    @GET
    @Path("/{name}")
    public Response preset(@PathParam("name") String name) throws Exception {
        String expression = PRESETS.get(name);
        if (expression == null) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        String value = XPathFactory.newInstance().newXPath().evaluate(expression, settings);
        return Response.ok(value).build();
    }
}
