package com.example.config;

import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Response;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

@Path("/config")
public class ConfigQueryResource {

    @Inject
    Document settings;

    @GET
    @Path("/value")
    public Response value(@QueryParam("section") String section, @QueryParam("key") String key) throws Exception {
        StringBuilder path = new StringBuilder("/settings/section[@name='");
        path.append(section).append("']/entry[@key='").append(key).append("']/@value");
        XPath xpath = XPathFactory.newInstance().newXPath();
        String value = xpath.evaluate(path.toString(), settings);
        return value.isEmpty() ? Response.status(404).build() : Response.ok(value).build();
    }
}
