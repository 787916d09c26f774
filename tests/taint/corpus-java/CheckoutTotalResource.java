package com.example.checkout;

import java.math.BigDecimal;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.FormParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

@Path("/checkout/v2")
public class CheckoutTotalResource {

    private static final Map<String, BigDecimal> PRICES = Map.of(
            "basic", new BigDecimal("9.99"),
            "pro", new BigDecimal("29.99"));

    @Context
    HttpServletRequest servletRequest;

    @POST
    @Path("/confirm")
    public Response confirm(@FormParam("plan") String plan, @FormParam("seats") String seats) {
        BigDecimal price = PRICES.get(plan);
        int count;
        try {
            count = Math.max(1, Math.min(Integer.parseInt(seats), 500));
        } catch (NumberFormatException e) {
            return Response.status(Response.Status.BAD_REQUEST).build();
        }
        if (price == null) {
            return Response.status(Response.Status.BAD_REQUEST).build();
        }
        servletRequest.getSession(true).setAttribute("cart.total", price.multiply(BigDecimal.valueOf(count)));
        return Response.seeOther(java.net.URI.create("/checkout/pay")).build();
    }
}
