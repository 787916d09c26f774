"""The Go front end of the taint engine: what it follows, what stops it, and what it
reports, on small programs written for each flow (net/http, gin, echo, chi, mux)."""

from __future__ import annotations

import textwrap

import pytest

from genguard.syntax.languages import new_parser
from genguard.taint.golang import package_path
from metamorphic_rules import compiled


def matches(code: str):
    source = textwrap.dedent(code).encode()
    tree = new_parser("go").parse(source)
    found = compiled(("security",)).matcher_for("go").run(source, tree)
    return source, [m for m in found if m.rule.taint]


def findings(code: str) -> set[str]:
    return {m.rule.id for m in matches(code)[1]}


def test_import_paths_become_dotted_names() -> None:
    assert package_path("net/http") == "net.http"
    assert package_path("github.com/labstack/echo/v4") == "echo"
    assert package_path("github.com/go-chi/chi/v5") == "chi"
    assert package_path("github.com/gin-gonic/gin") == "gin"


# (what the program shows, the rule expected, or "!rule" for a rule that must stay quiet)
CASES = [
    (
        "echo bind json",
        "go-sql-injection",
        """\
package x
import ("database/sql"; "net/http"; "encoding/json"; "fmt")
type In struct { Name string }
func h(db *sql.DB) http.HandlerFunc {
  return func(w http.ResponseWriter, r *http.Request) {
    var in In
    json.NewDecoder(r.Body).Decode(&in)
    q := fmt.Sprintf("SELECT * FROM t WHERE name='%s'", in.Name)
    db.Query(q)
  }
}
""",
    ),
    (
        "gin shouldbind",
        "go-sql-injection",
        """\
package x
import ("github.com/gin-gonic/gin"; "gorm.io/gorm")
var db *gorm.DB
func h(c *gin.Context) {
  var in struct{ Sort string }
  if err := c.ShouldBindJSON(&in); err != nil { return }
  db.Raw("SELECT * FROM t ORDER BY " + in.Sort)
}
""",
    ),
    (
        "helper sink",
        "go-command-injection",
        """\
package x
import ("net/http"; "os/exec")
func run(s string) error { return exec.Command("sh", "-c", s).Run() }
func h(w http.ResponseWriter, r *http.Request) {
  run("echo " + r.Header.Get("X-Name"))
}
""",
    ),
    (
        "helper sanitizer",
        "!go-command-injection",
        """\
package x
import ("net/http"; "os/exec"; "regexp")
var ok = regexp.MustCompile(`^[a-z]+$`)
func h(w http.ResponseWriter, r *http.Request) {
  name := r.FormValue("n")
  if !ok.MatchString(name) { return }
  exec.Command("sh", "-c", "echo " + name).Run()
}
""",
    ),
    (
        "dead branch",
        "!go-command-injection",
        """\
package x
import ("net/http"; "os/exec")
const debug = false
func h(w http.ResponseWriter, r *http.Request) {
  cmd := "ls"
  if debug { cmd = r.FormValue("c") }
  exec.Command("sh", "-c", cmd).Run()
}
""",
    ),
    (
        "folded cond",
        "!go-command-injection",
        """\
package x
import ("net/http"; "os/exec")
func h(w http.ResponseWriter, r *http.Request) {
  n := 2
  cmd := r.FormValue("c")
  if 3*5+n > 10 { cmd = "ls" }
  exec.Command("sh", "-c", cmd).Run()
}
""",
    ),
    (
        "chi path",
        "go-path-traversal",
        """\
package x
import ("net/http"; "os"; "github.com/go-chi/chi/v5")
func h(w http.ResponseWriter, r *http.Request) {
  f, _ := os.Open("/data/" + chi.URLParam(r, "name"))
  defer f.Close()
}
""",
    ),
    (
        "mux vars",
        "go-path-traversal",
        """\
package x
import ("net/http"; "io/ioutil"; "github.com/gorilla/mux")
func h(w http.ResponseWriter, r *http.Request) {
  vars := mux.Vars(r)
  b, _ := ioutil.ReadFile("/data/" + vars["name"])
  w.Write(b)
}
""",
    ),
    (
        "contains dotdot",
        "!go-path-traversal",
        """\
package x
import ("net/http"; "os"; "strings")
func h(w http.ResponseWriter, r *http.Request) {
  name := r.URL.Query().Get("f")
  if strings.Contains(name, "..") { http.Error(w, "no", 400); return }
  os.ReadFile("/data/" + name)
}
""",
    ),
    (
        "ssrf client do",
        "go-ssrf",
        """\
package x
import ("net/http")
func h(w http.ResponseWriter, r *http.Request) {
  u := r.URL.Query().Get("u")
  client := &http.Client{}
  resp, _ := client.Get(u)
  defer resp.Body.Close()
}
""",
    ),
    (
        "ssrf fixed host",
        "!go-ssrf",
        """\
package x
import ("net/http"; "fmt")
func h(w http.ResponseWriter, r *http.Request) {
  id := r.URL.Query().Get("id")
  http.Get(fmt.Sprintf("https://api.example.com/items/%s", id))
}
""",
    ),
    (
        "ssrf host allow",
        "!go-ssrf",
        """\
package x
import ("net/http"; "net/url")
var allowed = map[string]bool{"a.com": true}
func h(w http.ResponseWriter, r *http.Request) {
  u, err := url.Parse(r.FormValue("u"))
  if err != nil || !allowed[u.Host] { return }
  http.Get(u.String())
}
""",
    ),
    (
        "redirect echo",
        "go-open-redirect",
        """\
package x
import ("net/http"; "github.com/labstack/echo/v4")
func h(c echo.Context) error {
  return c.Redirect(http.StatusFound, c.QueryParam("next"))
}
""",
    ),
    (
        "xss template.HTML",
        "go-reflected-xss",
        """\
package x
import ("html/template"; "net/http")
var t = template.Must(template.ParseFiles("a.html"))
func h(w http.ResponseWriter, r *http.Request) {
  t.Execute(w, map[string]any{"Body": template.HTML(r.FormValue("b"))})
}
""",
    ),
    (
        "xss text/template",
        "go-reflected-xss",
        """\
package x
import ("text/template"; "net/http")
var t = template.Must(template.New("x").Parse("<p>{{.}}</p>"))
func h(w http.ResponseWriter, r *http.Request) {
  t.Execute(w, r.FormValue("b"))
}
""",
    ),
    (
        "xss gin data",
        "go-reflected-xss",
        """\
package x
import "github.com/gin-gonic/gin"
func h(c *gin.Context) {
  c.Data(200, "text/html; charset=utf-8", []byte("<b>"+c.Query("q")+"</b>"))
}
""",
    ),
    (
        "xss builder",
        "go-reflected-xss",
        """\
package x
import ("net/http"; "strings")
func h(w http.ResponseWriter, r *http.Request) {
  var sb strings.Builder
  sb.WriteString("<ul>")
  for _, v := range r.URL.Query()["item"] { sb.WriteString("<li>" + v + "</li>") }
  w.Write([]byte(sb.String()))
}
""",
    ),
    (
        "xss escaped",
        "!go-reflected-xss",
        """\
package x
import ("net/http"; "html"; "fmt")
func h(w http.ResponseWriter, r *http.Request) {
  q := r.URL.Query().Get("q")
  fmt.Fprintf(w, "<p>%s</p>", html.EscapeString(q))
}
""",
    ),
    (
        "atoi sql",
        "!go-sql-injection",
        """\
package x
import ("net/http"; "database/sql"; "strconv")
func h(db *sql.DB, w http.ResponseWriter, r *http.Request) {
  id, err := strconv.Atoi(r.FormValue("id"))
  if err != nil { return }
  db.Exec("DELETE FROM t WHERE id = " + strconv.Itoa(id))
}
""",
    ),
    (
        "os args sql",
        "go-sql-injection",
        """\
package main
import ("database/sql"; "os")
func main() {
  db, _ := sql.Open("sqlite3", "x.db")
  db.Exec("DELETE FROM t WHERE name = '" + os.Args[1] + "'")
}
""",
    ),
    (
        "switch pin",
        "!go-path-traversal",
        """\
package x
import ("net/http"; "os")
func h(w http.ResponseWriter, r *http.Request) {
  var f string
  switch r.FormValue("r") {
  case "a": f = "a.txt"
  default: f = "b.txt"
  }
  os.ReadFile(f)
}
""",
    ),
    (
        "method summary",
        "go-sql-injection",
        """\
package x
import ("net/http"; "database/sql")
type S struct { db *sql.DB }
func (s *S) find(name string) { s.db.Query("SELECT * FROM u WHERE n='" + name + "'") }
func (s *S) h(w http.ResponseWriter, r *http.Request) { s.find(r.FormValue("n")) }
""",
    ),
    (
        "loop append",
        "go-command-injection",
        """\
package x
import ("net/http"; "os/exec"; "strings")
func h(w http.ResponseWriter, r *http.Request) {
  parts := []string{"echo"}
  for _, v := range r.Form["a"] { parts = append(parts, v) }
  exec.Command("bash", "-c", strings.Join(parts, " ")).Run()
}
""",
    ),
    (
        "goroutine",
        "go-command-injection",
        """\
package x
import ("net/http"; "os/exec")
func h(w http.ResponseWriter, r *http.Request) {
  c := r.PostFormValue("c")
  go func() { exec.Command("sh", "-c", c).Run() }()
}
""",
    ),
    (
        "handlefunc literal",
        "go-open-redirect",
        """\
package main
import "net/http"
func main() {
  http.HandleFunc("/go", func(w http.ResponseWriter, r *http.Request) {
    http.Redirect(w, r, r.URL.Query().Get("to"), 302)
  })
}
""",
    ),
    (
        "redirect local prefix",
        "!go-open-redirect",
        """\
package main
import "net/http"
func h(w http.ResponseWriter, r *http.Request) {
  http.Redirect(w, r, "/profile/"+r.FormValue("u"), 302)
}
""",
    ),
    (
        "flag loop allow",
        "!go-command-injection",
        """\
package x
import ("net/http"; "os/exec")
var formats = []string{"png", "jpg"}
func h(w http.ResponseWriter, r *http.Request) {
  f := r.FormValue("f")
  valid := false
  for _, a := range formats { if a == f { valid = true; break } }
  if !valid { http.Error(w, "bad", 400); return }
  exec.Command("sh", "-c", "convert in."+f).Run()
}
""",
    ),
    (
        "flag loop no check",
        "go-command-injection",
        """\
package x
import ("net/http"; "os/exec")
var formats = []string{"png", "jpg"}
func h(w http.ResponseWriter, r *http.Request) {
  f := r.FormValue("f")
  valid := false
  for _, a := range formats { if a == f { valid = true; break } }
  exec.Command("sh", "-c", "convert in."+f).Run()
}
""",
    ),
    (
        "ok map gin",
        "!go-command-injection",
        """\
package x
import ("os/exec"; "github.com/gin-gonic/gin")
func h(c *gin.Context) {
  allowed := map[string]string{"png": "png", "jpg": "jpeg"}
  f := c.Query("f")
  if _, ok := allowed[f]; !ok { c.JSON(400, nil); return }
  exec.Command("sh", "-c", "convert x." + f).Run()
}
""",
    ),
    (
        "slices contains",
        "!go-command-injection",
        """\
package x
import ("os/exec"; "slices"; "github.com/gin-gonic/gin")
func h(c *gin.Context) {
  f := c.Query("f")
  if !slices.Contains([]string{"a", "b"}, f) { return }
  exec.Command("sh", "-c", "convert x." + f).Run()
}
""",
    ),
    (
        "redirect only slash",
        "go-open-redirect",
        """\
package x
import ("net/http"; "strings")
func h(w http.ResponseWriter, r *http.Request) {
  next := r.FormValue("next")
  if !strings.HasPrefix(next, "/") { next = "/" }
  http.Redirect(w, r, next, 302)
}
""",
    ),
    (
        "redirect slash and not double",
        "!go-open-redirect",
        """\
package x
import ("net/http"; "strings")
func h(w http.ResponseWriter, r *http.Request) {
  next := r.FormValue("next")
  if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") { next = "/" }
  http.Redirect(w, r, next, 302)
}
""",
    ),
    (
        "safe path helper",
        "!go-path-traversal",
        """\
package x
import ("net/http"; "os"; "path/filepath"; "strings"; "errors")
const base = "/var/data"
func safePath(name string) (string, error) {
  p := filepath.Join(base, name)
  if !strings.HasPrefix(p, base+string(os.PathSeparator)) { return "", errors.New("bad") }
  return p, nil
}
func h(w http.ResponseWriter, r *http.Request) {
  p, err := safePath(r.FormValue("f"))
  if err != nil { return }
  os.ReadFile(p)
}
""",
    ),
    (
        "is safe predicate",
        "!go-path-traversal",
        """\
package x
import ("net/http"; "os"; "path/filepath"; "strings")
func inside(root, p string) bool {
  abs, err := filepath.Abs(filepath.Join(root, p))
  if err != nil { return false }
  return strings.HasPrefix(abs, root)
}
func h(w http.ResponseWriter, r *http.Request) {
  p := r.FormValue("f")
  if !inside("/srv", p) { return }
  os.ReadFile(filepath.Join("/srv", p))
}
""",
    ),
    (
        "rooted clean",
        "!go-path-traversal",
        """\
package x
import ("net/http"; "os"; "path/filepath")
func h(w http.ResponseWriter, r *http.Request) {
  name := filepath.Clean("/" + r.FormValue("f"))
  os.ReadFile(filepath.Join("/srv", name))
}
""",
    ),
    (
        "rel check",
        "!go-path-traversal",
        """\
package x
import ("net/http"; "os"; "path/filepath"; "strings")
func h(w http.ResponseWriter, r *http.Request) {
  target := filepath.Join("/srv", r.FormValue("f"))
  rel, err := filepath.Rel("/srv", target)
  if err != nil || strings.HasPrefix(rel, "..") { return }
  os.ReadFile(target)
}
""",
    ),
    (
        "clean only",
        "go-path-traversal",
        """\
package x
import ("net/http"; "os"; "path/filepath")
func h(w http.ResponseWriter, r *http.Request) {
  os.ReadFile(filepath.Join("/srv", filepath.Clean(r.FormValue("f"))))
}
""",
    ),
    (
        "xss content type html",
        "go-reflected-xss",
        """\
package x
import ("net/http"; "fmt")
func h(w http.ResponseWriter, r *http.Request) {
  w.Header().Set("Content-Type", "text/html; charset=utf-8")
  fmt.Fprint(w, r.FormValue("msg"))
}
""",
    ),
    (
        "xss fmt %s of html arg",
        "go-reflected-xss",
        """\
package x
import ("net/http"; "fmt")
func h(w http.ResponseWriter, r *http.Request) {
  c, err := r.Cookie("flash")
  if err != nil { return }
  fmt.Fprintf(w, "%s", "<div class=flash>"+c.Value+"</div>")
}
""",
    ),
    (
        "xss json ok",
        "!go-reflected-xss",
        """\
package x
import ("net/http"; "encoding/json")
func h(w http.ResponseWriter, r *http.Request) {
  w.Header().Set("Content-Type", "application/json")
  json.NewEncoder(w).Encode(map[string]string{"q": r.FormValue("q")})
}
""",
    ),
    (
        "location header",
        "go-open-redirect",
        """\
package x
import "net/http"
func h(w http.ResponseWriter, r *http.Request) {
  w.Header().Set("Location", r.URL.Query().Get("back"))
  w.WriteHeader(http.StatusFound)
}
""",
    ),
    (
        "multi return helper with error mentioning",
        "!go-path-traversal",
        """\
package x
import ("net/http"; "os"; "fmt"; "path/filepath"; "strings")
const logDir = "/var/log/app"
func resolve(name string) (string, error) {
  full := filepath.Join(logDir, name)
  if !strings.HasPrefix(full, logDir+"/") { return "", fmt.Errorf("bad name %q", name) }
  return full, nil
}
func h(w http.ResponseWriter, r *http.Request) {
  p, err := resolve(r.FormValue("f"))
  if err != nil { http.Error(w, err.Error(), 400); return }
  os.ReadFile(p)
}
""",
    ),
    (
        "multi return helper unchecked",
        "go-path-traversal",
        """\
package x
import ("net/http"; "os"; "path/filepath")
func resolve(name string) (string, error) {
  return filepath.Join("/var/log", name), nil
}
func h(w http.ResponseWriter, r *http.Request) {
  p, _ := resolve(r.FormValue("f"))
  os.ReadFile(p)
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
        package main

        import (
        \t"net/http"
        \t"os"
        \t"os/exec"
        )

        func ping(w http.ResponseWriter, r *http.Request) {
        \thost := r.URL.Query().Get("host")
        \texec.Command("sh", "-c", "ping "+host).Run()
        \texec.Command("sh", "-c", "echo "+os.Getenv("GREETING")).Run()
        }

        func run(cmd string) {
        \texec.Command("sh", "-c", cmd).Run()
        }
        """
    )
    by_line = {source[: m.start].count(b"\n") + 1: m for m in found}
    assert by_line[11].rule.severity == "error"
    first = by_line[11].related[0]
    assert source[first.start : first.end] == b"r.URL.Query()"
    assert by_line[12].rule.severity == "warning"  # the environment: a weak source
    assert by_line[16].rule.severity == "warning"  # a parameter nothing here passes


def test_constants_and_unrelated_code_report_nothing() -> None:
    assert not findings(
        """\
        package main

        import (
        \t"database/sql"
        \t"os/exec"
        )

        func main() {
        \tdb, _ := sql.Open("sqlite3", "x.db")
        \ttable := "users"
        \tdb.Query("SELECT * FROM " + table)
        \texec.Command("sh", "-c", "ls -la").Run()
        }
        """
    )
