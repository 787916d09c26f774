package com.example.shop;

import java.util.List;
import javax.persistence.EntityManager;
import javax.persistence.PersistenceContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class OrderQueryController {

    @PersistenceContext
    private EntityManager entityManager;

    @GetMapping("/api/orders")
    @SuppressWarnings("unchecked")
    public List<Object[]> orders(@RequestParam(defaultValue = "OPEN") String status,
                                 @RequestParam(defaultValue = "created_at") String sort) {
        String sql = "SELECT id, customer_id, total FROM orders WHERE status = '" + status
                + "' ORDER BY " + sort;
        return entityManager.createNativeQuery(sql).getResultList();
    }
}
