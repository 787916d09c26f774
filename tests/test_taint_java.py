"""The Java front end of the taint engine: what it follows, what stops it, and what
it reports, on small programs written for each flow (Servlet, Spring, JAX-RS)."""

from __future__ import annotations

import textwrap

import pytest

from genguard.syntax.languages import new_parser
from metamorphic_rules import compiled


def matches(code: str):
    source = textwrap.dedent(code).encode()
    tree = new_parser("java").parse(source)
    found = compiled(("security",)).matcher_for("java").run(source, tree)
    return source, [m for m in found if m.rule.taint]


def findings(code: str) -> set[str]:
    return {m.rule.id for m in matches(code)[1]}


# (what the program shows, the rule expected, or "!rule" for a rule that must stay quiet)
CASES = [
    (
        "spring plain string param",
        "java-sql-injection",
        """\
import org.springframework.web.bind.annotation.*;
import org.springframework.jdbc.core.JdbcTemplate;
@RestController
public class C {
  private JdbcTemplate jdbc;
  @GetMapping("/u")
  public Object u(String name) {
    return jdbc.queryForList("SELECT * FROM u WHERE name = '" + name + "'");
  }
}
""",
    ),
    (
        "numeric param is no source",
        "!java-sql-injection",
        """\
import org.springframework.web.bind.annotation.*;
import org.springframework.jdbc.core.JdbcTemplate;
@RestController
public class C {
  private JdbcTemplate jdbc;
  @GetMapping("/u/{id}")
  public Object u(@PathVariable Long id) {
    return jdbc.queryForList("SELECT * FROM u WHERE id = " + id);
  }
}
""",
    ),
    (
        "jaxrs entity body",
        "java-unsafe-deserialization",
        """\
import java.io.*;
import javax.ws.rs.*;
@Path("/import")
public class R {
  @POST
  public String load(InputStream body) throws Exception {
    ObjectInputStream in = new ObjectInputStream(body);
    return in.readObject().toString();
  }
}
""",
    ),
    (
        "filter set",
        "!java-unsafe-deserialization",
        """\
import java.io.*;
import javax.servlet.http.*;
public class S extends HttpServlet {
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(req.getInputStream())) {
      in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("com.example.Cart;!*"));
      Object o = in.readObject();
    }
  }
}
""",
    ),
    (
        "map lookup allow-list",
        "!java-command-injection",
        """\
import java.util.Map;
import javax.servlet.http.*;
public class S extends HttpServlet {
  private static final Map<String, String> TOOLS = Map.of("pdf", "pdftotext", "doc", "antiword");
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws Exception {
    String tool = TOOLS.get(req.getParameter("fmt"));
    Runtime.getRuntime().exec(tool + " /tmp/in");
  }
}
""",
    ),
    (
        "switch expression",
        "!java-sql-injection",
        """\
import java.sql.*;
import javax.servlet.http.*;
public class S extends HttpServlet {
  private Connection conn;
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws Exception {
    String col = switch (req.getParameter("sort")) {
      case "name" -> "name";
      case "date" -> "created_at";
      default -> "id";
    };
    conn.createStatement().executeQuery("SELECT * FROM t ORDER BY " + col);
  }
}
""",
    ),
    (
        "stringbuilder sql",
        "java-sql-injection",
        """\
import java.sql.*;
import javax.servlet.http.*;
public class S extends HttpServlet {
  private Connection conn;
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws Exception {
    StringBuilder sb = new StringBuilder("SELECT * FROM t WHERE a = '");
    sb.append(req.getParameter("a")).append("'");
    conn.createStatement().executeQuery(sb.toString());
  }
}
""",
    ),
    (
        "helper method",
        "java-command-injection",
        """\
import javax.servlet.http.*;
public class S extends HttpServlet {
  private void run(String cmd) throws Exception { new ProcessBuilder("bash", "-c", cmd).start(); }
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws Exception {
    run("echo " + req.getHeader("X-Name"));
  }
}
""",
    ),
    (
        "redirect local check",
        "!java-open-redirect",
        """\
import javax.servlet.http.*;
public class S extends HttpServlet {
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws Exception {
    String next = req.getParameter("next");
    if (next == null || !next.startsWith("/") || next.startsWith("//")) { next = "/"; }
    resp.sendRedirect(next);
  }
}
""",
    ),
    (
        "redirect slash only",
        "java-open-redirect",
        """\
import javax.servlet.http.*;
public class S extends HttpServlet {
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws Exception {
    String next = req.getParameter("next");
    if (!next.startsWith("/")) { next = "/"; }
    resp.sendRedirect(next);
  }
}
""",
    ),
    (
        "canonical path check",
        "!java-path-traversal",
        """\
import java.io.*;
import javax.servlet.http.*;
public class S extends HttpServlet {
  private static final String BASE = "/srv/files";
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws Exception {
    File f = new File(BASE, req.getParameter("f"));
    if (!f.getCanonicalPath().startsWith(BASE + File.separator)) { resp.sendError(403); return; }
    new FileInputStream(f).transferTo(resp.getOutputStream());
  }
}
""",
    ),
    (
        "ssrf allow host",
        "!java-ssrf",
        """\
import java.net.*;
import java.util.Set;
import javax.servlet.http.*;
public class S extends HttpServlet {
  private static final Set<String> HOSTS = Set.of("api.example.com");
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws Exception {
    URL url = new URL(req.getParameter("u"));
    if (!HOSTS.contains(url.getHost())) { resp.sendError(400); return; }
    url.openStream();
  }
}
""",
    ),
    (
        "ssrf builder fixed host",
        "!java-ssrf",
        """\
import org.springframework.web.client.RestTemplate;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.bind.annotation.*;
@RestController
public class C {
  private RestTemplate rest = new RestTemplate();
  @GetMapping("/w")
  public String w(@RequestParam String city) {
    String u = UriComponentsBuilder.fromHttpUrl("https://api.weather.example/v1/")
        .queryParam("q", city).toUriString();
    return rest.getForObject(u, String.class);
  }
}
""",
    ),
    (
        "spring cookie not secure",
        "java-cookie-insecure",
        """\
import org.springframework.http.*;
import javax.servlet.http.*;
public class C {
  public void login(HttpServletResponse response, String id) {
    ResponseCookie c = ResponseCookie.from("SESSION", id).httpOnly(true).build();
    response.addHeader(HttpHeaders.SET_COOKIE, c.toString());
  }
}
""",
    ),
    (
        "spring cookie secure",
        "!java-cookie-insecure",
        """\
import org.springframework.http.*;
import javax.servlet.http.*;
public class C {
  public void login(HttpServletResponse response, String id) {
    ResponseCookie c = ResponseCookie.from("SESSION", id).httpOnly(true).secure(true).build();
    response.addHeader(HttpHeaders.SET_COOKIE, c.toString());
  }
}
""",
    ),
    (
        "lambda in forEach",
        "java-sql-injection",
        """\
import java.sql.*;
import javax.servlet.http.*;
public class S extends HttpServlet {
  private Statement st;
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws Exception {
    java.util.Arrays.asList(req.getParameterValues("id")).forEach(id -> {
      try { st.executeUpdate("DELETE FROM t WHERE id = '" + id + "'"); } catch (Exception e) {}
    });
  }
}
""",
    ),
    (
        "a var is named by the call that made it",
        "java-trust-boundary",
        """\
import javax.servlet.http.*;
public class LangServlet extends HttpServlet {
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws Exception {
    var session = req.getSession(true);
    session.setAttribute("lang", req.getParameter("lang"));
  }
}
""",
    ),
    (
        "a var's constant value stays constant",
        "!java-trust-boundary",
        """\
import javax.servlet.http.*;
public class LangServlet extends HttpServlet {
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws Exception {
    var session = req.getSession(true);
    session.setAttribute("lang", "en".equals(req.getParameter("lang")) ? "en" : "fr");
  }
}
""",
    ),
]


@pytest.mark.parametrize(("what", "expect", "code"), CASES, ids=[c[0] for c in CASES])
def test_flow(what: str, expect: str, code: str) -> None:
    found = findings(code)
    if expect.startswith("!"):
        assert expect[1:] not in found, what
    else:
        assert expect in found, what


def test_a_finding_names_its_source_and_severity_follows_the_evidence() -> None:
    source, found = matches(
        """\
        import javax.servlet.http.*;

        public class PingServlet extends HttpServlet {
            protected void doGet(HttpServletRequest req, HttpServletResponse resp)
                    throws Exception {
                String host = req.getParameter("host");
                Runtime.getRuntime().exec("ping " + host);
                Runtime.getRuntime().exec("echo " + System.getenv("GREETING"));
            }
        }
        """
    )
    by_line = {source[: m.start].count(b"\n") + 1: m for m in found}
    assert by_line[7].rule.severity == "error"
    first = by_line[7].related[0]
    assert source[first.start : first.end] == b'req.getParameter("host")'
    assert by_line[8].rule.severity == "warning"  # the environment: a weak source


def test_only_methods_naming_a_binding_annotation_have_their_parameters_read() -> None:
    """A method's parameters are sources only through an annotation a rule names
    (``@RequestParam``, or the handler's ``@GetMapping``): a method whose text names
    none is not taken for a reader of sources by parsing its parameters, and the
    handler's flow is still found."""
    from genguard.taint.run import analyse

    code = textwrap.dedent(
        """\
        import org.springframework.web.bind.annotation.*;
        import org.springframework.jdbc.core.JdbcTemplate;

        @RestController
        class Users {
            private JdbcTemplate jdbc;

            @GetMapping("/users")
            public Object find(@RequestParam String name) {
                return jdbc.queryForList(query(name));
            }

            private String query(String name) {
                return "SELECT * FROM users WHERE name = '" + name + "'";
            }
        }
        """
    )
    source = code.encode()
    model = compiled(("security",)).matcher_for("java").taint
    analysis = analyse(model, "java", source, new_parser("java").parse(source))
    bound = {fn.name: analysis._bound(fn) for fn in analysis.functions}
    assert bound == {"find": True, "query": False}
    assert not analysis.functions[1].sources
    assert "java-sql-injection" in findings(code)
