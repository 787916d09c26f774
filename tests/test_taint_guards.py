"""Taint models that keep safe code quiet: values a framework converts, constant
look-up tables, regex validation and the file's own checks before a sink; and the
models of asynchronous frameworks and drivers that find the flows they carry.

Each case runs the real rule packs through the real matcher, as the scan does.
"""

from __future__ import annotations

import textwrap
from functools import cache

from genguard.rules import CompiledRules, load_rules
from genguard.syntax.languages import new_parser


@cache
def compiled() -> CompiledRules:
    return CompiledRules(load_rules(packs=["security"]))


def rules_at(code: str) -> set[str]:
    """The ids of the taint rules that report in ``code``."""
    source = textwrap.dedent(code).encode()
    tree = new_parser("python").parse(source)
    found = compiled().matcher_for("python").run(source, tree)
    return {m.rule.id for m in found if m.rule.taint is not None}


def test_fastapi_parameters_converted_to_scalars_carry_no_injection() -> None:
    code = """
    from fastapi import FastAPI, Path
    import httpx
    app = FastAPI()

    @app.get("/items/{item_id}")
    async def item(item_id: int, when: Optional[datetime] = None, ref: uuid.UUID | None = None):
        return httpx.get(f"{API}/items/{item_id}?at={when}&ref={ref}")

    @app.get("/kinds/{kind}")
    async def kind(kind: Annotated[int, Path(ge=1)], mode: Literal["a", "b"] = "a"):
        return httpx.get(f"{API}/kinds/{kind}/{mode}")
    """
    assert rules_at(code) == set()
    for annotation in ("str", "list[str]", "Optional[str]", "Annotated[str, Path()]", "int | str"):
        vulnerable = f"""
        from fastapi import FastAPI
        import httpx
        app = FastAPI()

        @app.get("/fetch/{{target}}")
        async def fetch(target: {annotation}):
            return httpx.get(target)
        """
        assert rules_at(vulnerable) == {"py-ssrf"}, annotation


def test_a_lookup_in_a_constant_table_is_constant_whatever_the_key() -> None:
    code = """
    import subprocess, sys
    JOBS = {"backup": "tar czf /srv/b.tgz /srv/data", "clean": "rm -rf /srv/tmp/*"}

    def job(name):
        command = JOBS.get(name)
        if command:
            subprocess.run(command, shell=True)

    job(sys.argv[1])
    """
    assert rules_at(code) == set()
    # the key comes back as the default: the input reaches the shell
    assert rules_at(code.replace("JOBS.get(name)", "JOBS.get(name, name)")) == {
        "py-subprocess-shell"
    }


def test_a_whole_value_regex_check_before_the_sink_guards_it() -> None:
    code = """
    import re
    from flask import Flask, request, abort
    import ldap
    app = Flask(__name__)
    USER = re.compile(r"[a-z][a-z0-9_]{2,31}")

    @app.route("/member")
    def member():
        uid = request.args.get("uid", "")
        if not USER.fullmatch(uid):
            abort(400)
        return str(conn.search_s(BASE, ldap.SCOPE_SUBTREE, f"(uid={uid})"))

    @app.route("/group")
    def group():
        cn = request.args.get("cn", "")
        if re.fullmatch(r"[a-z]+", cn) is None:
            abort(400)
        return str(conn.search_s(BASE, ldap.SCOPE_SUBTREE, f"(cn={cn})"))
    """
    assert rules_at(code) == set()
    # match() anchors only at the start: "alice)(uid=*" passes it
    unanchored = code.replace("USER.fullmatch(uid)", "USER.match(uid)")
    assert rules_at(unanchored) == {"py-ldap-injection"}
    # the check guards only the branch it passed on
    assert rules_at(code.replace("is None:", "is not None:")) == {"py-ldap-injection"}


def test_the_files_own_check_built_from_a_regex_and_an_allow_list_guards() -> None:
    code = """
    import re
    from urllib.parse import urlparse
    from flask import Flask, request, redirect
    app = Flask(__name__)
    HOSTS = {"shop.example.org"}
    RELATIVE = re.compile(r"/(?!/)[\\\\w/.-]*")

    def acceptable(url):
        parts = urlparse(url)
        if not parts.netloc and not parts.scheme:
            return RELATIVE.fullmatch(url) is not None
        return parts.scheme == "https" and parts.netloc in HOSTS

    @app.route("/back")
    def back():
        dest = request.args.get("dest", "/")
        if not acceptable(dest):
            dest = "/"
        return redirect(dest)
    """
    assert rules_at(code) == set()
    assert rules_at(code.replace("if not acceptable(dest):", "if acceptable(dest):")) == {
        "py-open-redirect"
    }


def test_flask_url_converters_to_numbers_carry_no_injection() -> None:
    code = """
    from flask import Flask
    import os
    app = Flask(__name__)

    @app.route("/jobs/<int:job>/<uuid:run>/<float:scale>")
    def restart(job, run, scale):
        os.system(f"jobctl restart {job} --run {run} --scale {scale}")
    """
    assert rules_at(code) == set()
    assert rules_at(code.replace("<int:job>", "<job>")) == {"py-os-system"}
    assert rules_at(code.replace("<int:job>", "<path:job>")) == {"py-os-system"}


def test_a_read_of_request_data_by_key_is_no_database_lookup() -> None:
    # aiohttp's request.query.get ends like SQLAlchemy's Model.query.get, a look-up
    # whose result the request did not write
    code = """
    from aiohttp import web
    import aiohttp

    async def fetch(session, url):
        async with session.get(url) as resp:
            return await resp.text()

    async def proxy(request: web.Request) -> web.Response:
        target = request.query.get("target")
        async with aiohttp.ClientSession() as session:
            return web.Response(text=await fetch(session, target))
    """
    assert rules_at(code) == {"py-ssrf"}
    lookup = """
    from flask import Flask, request
    import requests
    app = Flask(__name__)

    @app.route("/hook")
    def hook():
        hook = Webhook.query.get(request.args["id"])
        return requests.post(hook.url, timeout=5).text
    """
    assert rules_at(lookup) == set()


def test_a_leading_slash_alone_does_not_make_a_redirect_target_local() -> None:
    head = textwrap.dedent(
        """
        from flask import Flask, request, redirect, abort
        app = Flask(__name__)

        @app.route("/go")
        def go():
            dest = request.args.get("to", "/")
        """
    )
    sink = "    return redirect(dest)\n"
    only_slash = head + "    if not dest.startswith('/'):\n        abort(400)\n" + sink
    assert rules_at(only_slash) == {"py-open-redirect"}  # "//evil.example" passes
    only_double = head + "    if dest.startswith('//'):\n        abort(400)\n" + sink
    assert rules_at(only_double) == {"py-open-redirect"}  # "https://evil.example" passes
    both_inline = (
        head + "    if not dest.startswith('/') or dest.startswith(('//', '/\\\\')):\n"
        "        dest = '/'\n" + sink
    )
    assert rules_at(both_inline) == set()
    one_after_other = (
        head + "    if not dest.startswith('/'):\n        abort(400)\n"
        "    elif dest.startswith('//'):\n        abort(400)\n" + sink
    )
    assert rules_at(one_after_other) == set()
    a_longer_prefix = head + "    if not dest.startswith('/account/'):\n        abort(400)\n" + sink
    assert rules_at(a_longer_prefix) == set()


def test_a_scheme_check_does_not_clean_a_fetched_url_a_fixed_host_does() -> None:
    head = textwrap.dedent(
        """
        import urllib.request
        from django.http import HttpResponse, HttpResponseBadRequest

        def image_proxy(request):
            src = request.GET.get("src", "")
        """
    )
    sink = "    with urllib.request.urlopen(src) as upstream:\n        body = upstream.read()\n"

    def checked(prefix: str) -> str:
        return head + f"    if not src.startswith({prefix}):\n        return None\n" + sink

    # "http://169.254.169.254/" starts with a scheme: the host is still the caller's
    assert rules_at(checked('("http://", "https://")')) == {"py-ssrf"}
    assert rules_at(checked('"https://"')) == {"py-ssrf"}
    assert rules_at(checked('"https://api.example.com"')) == {"py-ssrf"}  # .com.evil
    assert rules_at(checked('"https://api.example.com/"')) == set()
    assert rules_at(checked('("https://a.example/", "https://b.example/")')) == set()
    assert rules_at(checked("ALLOWED_PREFIXES")) == set()  # not written here: trusted
    # from a start index on: how the value begins is not checked at all
    assert rules_at(checked('"https://api.example.com/", 8')) == {"py-ssrf"}
    # a redirect's local-path check still reads startswith as before
    redirect = textwrap.dedent(
        """
        from flask import request, redirect, abort

        def go():
            dest = request.args.get("to", "/")
            if not dest.startswith("/account/"):
                abort(400)
            return redirect(dest)
        """
    )
    assert rules_at(redirect) == set()


def test_pyramid_request_data_reaches_a_file_response() -> None:
    code = """
    import os
    from pyramid.response import FileResponse
    from pyramid.view import view_config

    @view_config(route_name="doc")
    def doc_view(request):
        rel = request.matchdict["path"]
        return FileResponse(os.path.join(DOCS_ROOT, rel), request=request)

    @view_config(route_name="raw")
    def raw_view(request):
        return FileResponse(os.path.join(DOCS_ROOT, request.params["name"]), request=request)

    @view_config(route_name="doc", renderer="json")
    def safe_view(request):
        rel = os.path.basename(request.json_body["path"])
        return FileResponse(os.path.join(DOCS_ROOT, rel), request=request)
    """
    source = textwrap.dedent(code).encode()
    tree = new_parser("python").parse(source)
    found = compiled().matcher_for("python").run(source, tree)
    lines = sorted(
        source[: m.start].count(b"\n") + 1 for m in found if m.rule.id == "py-path-traversal"
    )
    assert lines == [9, 13]


def test_a_method_named_like_a_container_read_on_an_instance_of_the_files_class() -> None:
    # inv.get(...) is Inventory.get, whose body has the sink, not a dict's get
    code = """
    import sys, subprocess

    class Inventory:
        def __init__(self, root):
            self.root = root

        def get(self, host):
            return subprocess.check_output(f"ssh {host} cat {self.root}/facts", shell=True)

    def main():
        inv = Inventory("/etc/inventory")
        print(inv.get(sys.argv[1]))
    """
    assert rules_at(code) == {"py-subprocess-shell"}
    assert rules_at(code.replace("inv.get(sys.argv[1])", 'inv.get("db1")')) == set()


def test_a_match_anchored_at_both_ends_in_the_call_is_a_whole_value_check() -> None:
    template = """
    import re, os
    from flask import Flask, request, abort
    app = Flask(__name__)

    @app.route("/ping")
    def ping():
        host = request.args.get("host", "")
        if not CHECK:
            abort(400)
        return str(os.system("ping -c 1 " + host))
    """
    for check in (r're.match(r"[a-z0-9.-]{1,63}\Z", host)', r're.search(r"^[a-z0-9.]+$", host)'):
        assert rules_at(template.replace("CHECK", check)) == set(), check
    for loose in (
        r're.match(r"[a-z0-9.-]{1,63}", host)',  # "ok; rm -rf /" starts well
        r're.search(r"[a-z0-9.]+$", host)',  # and ends well
        r're.match(r"[a-z]+|[0-9]+$", host)',  # each side anchored on its own
        r"re.match(PATTERN, host)",  # not read
    ):
        assert rules_at(template.replace("CHECK", loose)) == {"py-os-system"}, loose
