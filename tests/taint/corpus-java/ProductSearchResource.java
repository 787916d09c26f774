package com.example.catalog;

import java.util.List;
import javax.inject.Inject;
import javax.persistence.EntityManager;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;

@Path("/products")
@Produces(MediaType.APPLICATION_JSON)
public class ProductSearchResource {

    @Inject
    EntityManager em;

    @GET
    @Path("/search")
    public List<Product> search(@QueryParam("q") String q, @QueryParam("brand") String brand) {
        StringBuilder jpql = new StringBuilder("SELECT p FROM Product p WHERE p.name LIKE '%");
        jpql.append(q).append("%'");
        if (brand != null && !brand.isBlank()) {
            jpql.append(" AND p.brand = '").append(brand).append("'");
        }
        return em.createQuery(jpql.toString(), Product.class).setMaxResults(50).getResultList();
    }
}
