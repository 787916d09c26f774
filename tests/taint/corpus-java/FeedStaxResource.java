package com.example.feeds;

import java.io.InputStream;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

@Path("/feeds/stax")
public class FeedStaxResource {

    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    @POST
    @Consumes(MediaType.APPLICATION_XML)
    public Response ingest(InputStream body) throws Exception {
        XMLStreamReader reader = FACTORY.createXMLStreamReader(body);
        int entries = 0;
        while (reader.hasNext()) {
            if (reader.next() == XMLStreamConstants.START_ELEMENT && "entry".equals(reader.getLocalName())) {
                entries++;
            }
        }
        return Response.ok("{\"entries\":" + entries + "}").build();
    }
}
