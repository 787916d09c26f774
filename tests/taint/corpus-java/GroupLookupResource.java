package com.example.directory;

import java.util.List;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import org.springframework.ldap.core.AttributesMapper;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.filter.AndFilter;
import org.springframework.ldap.filter.EqualsFilter;

@Path("/groups/lookup")
public class GroupLookupResource {

    @Inject
    LdapTemplate ldapTemplate;

    @GET
    @Path("/{group}")
    public List<String> members(@PathParam("group") String group) {
        AndFilter filter = new AndFilter();
        filter.and(new EqualsFilter("objectClass", "groupOfNames"));
        filter.and(new EqualsFilter("cn", group));
        return ldapTemplate.search("ou=groups", filter.encode(),
                (AttributesMapper<String>) attrs -> String.valueOf(attrs.get("member").get()));
    }
}
