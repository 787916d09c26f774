package com.example.comments;

import javax.ws.rs.Consumes;
import javax.ws.rs.FormParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

@Path("/comments")
public class CommentPreviewResource {

    private static final String TEMPLATE =
            "<article class=\"comment\"><header>%s</header><div class=\"body\">%s</div></article>";

    @POST
    @Path("/preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public String preview(@FormParam("author") String author, @FormParam("text") String text) {
        String shownAuthor = author == null || author.isBlank() ? "Anonymous" : author.trim();
        return String.format(TEMPLATE, shownAuthor, text);
    }
}
