import ldap


def main():
    name = input("Name: ")
    query = "(cn=*" + name + "*)"
    conn = ldap.initialize("ldap://ldap.corp.example")
    conn.simple_bind_s()
    for dn, attrs in conn.search_ext_s("ou=people,dc=corp", ldap.SCOPE_SUBTREE, query):
        print(dn, attrs.get("telephoneNumber"))


if __name__ == "__main__":
    main()
