package com.example.catalog;

import java.util.List;
import javax.inject.Inject;
import javax.persistence.EntityManager;
import javax.persistence.TypedQuery;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;

@Path("/products/find")
@Produces(MediaType.APPLICATION_JSON)
public class ProductFinderResource {

    @Inject
    EntityManager em;

    @GET
    public List<Product> find(@QueryParam("q") String q) {
        TypedQuery<Product> query = em.createQuery(
                "SELECT p FROM Product p WHERE p.name LIKE :pattern ORDER BY p.name", Product.class);
        query.setParameter("pattern", "%" + (q == null ? "" : q) + "%");
        return query.setMaxResults(50).getResultList();
    }
}
