package com.example.directory;

import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import javax.naming.NamingEnumeration;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;

@Path("/groups")
public class GroupMembersResource {

    @Inject
    DirContext ldap;

    private static String memberFilter(String group, String department) {
        StringBuilder sb = new StringBuilder("(&(objectClass=inetOrgPerson)(memberOf=cn=");
        sb.append(group).append(",ou=groups,dc=example,dc=com)");
        if (department != null) {
            sb.append("(departmentNumber=").append(department).append(")");
        }
        return sb.append(")").toString();
    }

    @GET
    @Path("/{group}/members")
    public List<String> members(@PathParam("group") String group, @QueryParam("dept") String dept) throws Exception {
        SearchControls sc = new SearchControls();
        sc.setSearchScope(SearchControls.SUBTREE_SCOPE);
        NamingEnumeration<SearchResult> res = ldap.search("ou=people,dc=example,dc=com", memberFilter(group, dept), sc);
        List<String> out = new ArrayList<>();
        while (res.hasMore()) {
            out.add(res.next().getNameInNamespace());
        }
        return out;
    }
}
