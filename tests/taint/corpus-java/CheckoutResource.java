package com.example.checkout;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.FormParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

@Path("/checkout")
public class CheckoutResource {

    @Context
    HttpServletRequest servletRequest;

    @POST
    @Path("/confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response confirm(@FormParam("total") String total, @FormParam("discount") String discount) {
        var session = servletRequest.getSession(true);
        session.setAttribute("cart.total", total);
        session.setAttribute("cart.discountCode", discount);
        return Response.seeOther(java.net.URI.create("/checkout/pay")).build();
    }
}
