"""Findings 1, 6 and 11: a repository's configuration cannot redirect telemetry, choose
the signature trust anchor or the reviewer, or switch the guard off under an
organisation policy; each attempt is refused visibly and recorded.

Every attack runs against the real server, CLI or hooks, with a control that shows
the same setting from a trusted layer does take effect (so the refusal is what
stopped it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import git
from tests.security.conftest import GENGUARD
from tests.security.rpc import RawServer

from genguard.gitio.run import Git
from genguard.hooks.install import install_hooks

TOKEN = "Bearer s3cret-token-of-the-user"
BLOCK = "def fetch(url):\n    import requests\n    return requests.get(url).text\n"
AWS_AND_SHELL = (
    'AWS_ACCESS_KEY_ID = "AKIAZQ3FAKE7TESTKEY4"\n'
    "import os\n\n\n"
    "def run():\n"
    "    os.system(input())\n"
)


class Listener:
    """A real HTTP server on 127.0.0.1 that records every request it gets."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                listener.requests.append({"path": self.path, "headers": dict(self.headers)})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_PUT = do_POST

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def env(tmp_path: Path, isolated_git: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment of the user's own processes: no organisation policy and an
    empty user configuration unless a test writes one."""
    user = tmp_path / "user-config.toml"
    user.write_text("[hooks]\ntimeout = 60\n")
    monkeypatch.setenv("GENGUARD_USER_CONFIG", str(user))
    return {**os.environ, "GENGUARD_USER_CONFIG": str(user), "GENGUARD_ORG_POLICY": ""}


def insert_block(server: RawServer, path: Path, text: str = BLOCK) -> dict[str, Any]:
    """Open ``path`` empty and insert ``text`` as a tool would; the provenance after it."""
    server.open(path, "")
    server.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": path.as_uri(), "version": 2},
            "contentChanges": [
                {
                    "range": {
                        "start": {"line": 0, "character": 0},
                        "end": {"line": 0, "character": 0},
                    },
                    "text": text,
                }
            ],
        },
    )
    return server.request("genguard/fileProvenance", {"textDocument": {"uri": path.as_uri()}})


def messages(server: RawServer) -> str:
    return "\n".join(m["params"]["message"] for m in server.notifications("window/showMessage"))


def config_diagnostics(server: RawServer, config: Path) -> list[dict[str, Any]]:
    published = [
        m["params"]
        for m in server.notifications("textDocument/publishDiagnostics")
        if m["params"]["uri"] == config.as_uri()
    ]
    return published[-1]["diagnostics"] if published else []


def ledger_events(repo: Path, event: str) -> list[dict[str, Any]]:
    path = repo / ".git" / "genguard" / "ledger.jsonl"
    if not path.exists():
        return []
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [r for r in records if r.get("event") == event]


# -- finding 1 --------------------------------------------------------------------------


def test_repo_config_cannot_send_telemetry_or_the_users_token_anywhere(
    repo: Path, env: dict[str, str], listener: Listener, serve, tmp_path: Path
) -> None:
    env = {**env, "OTEL_EXPORTER_OTLP_HEADERS": f"authorization={TOKEN}"}
    config = repo / ".genguard.toml"
    config.write_text(f'[telemetry]\nenabled = true\notlp_endpoint = "{listener.url}"\n')
    server = serve(repo, env=env)
    server.initialize(repo)
    prov = insert_block(server, repo / "a.py")
    assert prov["result"]["chunks"], prov  # a chunk, so a ledger event to stream
    time.sleep(2.0)  # the exporter sends from a background thread within a second
    assert listener.requests == []
    assert "telemetry.enabled is ignored here" in messages(server)
    refused = [
        d for d in config_diagnostics(server, config) if d["code"] == "genguard.config-refused"
    ]
    assert {d["range"]["start"]["line"] for d in refused} == {1, 2}
    assert listener.url not in json.dumps(server.seen)  # the value is never echoed back
    server.close()

    # control: the same endpoint in the user's configuration does receive the events
    Path(env["GENGUARD_USER_CONFIG"]).write_text(config.read_text())
    config.unlink()
    server = serve(repo, env=env)
    server.initialize(repo)
    insert_block(server, repo / "b.py")
    deadline = time.monotonic() + 15
    while not listener.requests and time.monotonic() < deadline:
        time.sleep(0.1)
    assert listener.requests, "a user-configured collector must receive the events"
    assert listener.requests[0]["headers"].get("authorization") == TOKEN


# -- finding 6 --------------------------------------------------------------------------


def ssh_keygen(*args: str) -> None:
    subprocess.run(["ssh-keygen", *args], check=True, capture_output=True)


def allowed_file(path: Path, key: Path, principal: str) -> Path:
    pub = Path(f"{key}.pub").read_text().strip()
    path.write_text(f'{principal} namespaces="genguard" {pub}\n')
    return path


@pytest.mark.skipif(
    subprocess.run(["which", "ssh-keygen"], capture_output=True).returncode != 0,
    reason="needs ssh-keygen",
)
def test_repo_config_cannot_choose_the_signature_trust_anchor(
    repo: Path, env: dict[str, str], tmp_path: Path
) -> None:
    from tests.report.test_verify import sign_note  # signs as dev@example.com

    keys = tmp_path / "keys"
    keys.mkdir()
    for name in ("victim", "attacker"):
        ssh_keygen("-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(keys / name))
    user = Path(env["GENGUARD_USER_CONFIG"])
    victims = allowed_file(keys / "allowed", keys / "victim", "dev@example.com")
    user.write_text(f'[hooks]\ntimeout = 60\n[signing]\nallowed_signers = "{victims}"\n')
    assert install_hooks(Git(repo)).ok
    (repo / "a.py").write_text("x = 1\n")
    git(repo, "add", "a.py")
    subprocess.run(["git", "commit", "-qm", "first"], cwd=repo, env=env, check=True)
    head = git(repo, "rev-parse", "HEAD").strip()

    # the attacker signs the note with their key, as the victim, and commits an
    # allowed-signers file that vouches for that key, named in .genguard.toml
    sign_note(repo, head, keys / "attacker")
    allowed_file(repo / "trusted_signers", keys / "attacker", "dev@example.com")
    (repo / ".genguard.toml").write_text('[signing]\nallowed_signers = "trusted_signers"\n')

    def verify() -> tuple[int, dict[str, Any]]:
        proc = subprocess.run(
            [*GENGUARD, "verify", str(repo), "--json"], cwd=repo, env=env, capture_output=True
        )
        return proc.returncode, json.loads(proc.stdout)

    # (re-signing also changed the note the ledger recorded; only signatures matter here)
    code, doc = verify()
    assert code == 1 and any(f["kind"] == "signature" for f in doc["failures"]), doc
    assert doc["notes"]["signatures"]["valid"] == 0 and doc["notes"]["signatures"]["invalid"] == 1

    # control: trusted by the user, the same file would make the forgery verify
    user.write_text(f'[signing]\nallowed_signers = "{repo / "trusted_signers"}"\n')
    code, doc = verify()
    assert not any(f["kind"] == "signature" for f in doc["failures"]), doc
    assert doc["notes"]["signatures"]["valid"] == 1


def test_repo_config_cannot_choose_who_reviews(repo: Path, env: dict[str, str], serve) -> None:
    config = repo / ".genguard.toml"
    config.write_text('reviewer = "aaa-lead@example.com"\n')
    server = serve(repo, env=env)
    server.initialize(repo)
    path = repo / "a.py"
    chunk = insert_block(server, path)["result"]["chunks"][0]
    reply = server.request(
        "workspace/executeCommand",
        {"command": "genguard.markReviewed", "arguments": [path.as_uri(), chunk["id"]]},
    )
    assert reply["result"]["reviewer"] == "dev@example.com"  # git's user.email, the user's
    reviewed = ledger_events(repo, "chunk.reviewed")
    assert [r["data"]["reviewer"] for r in reviewed] == ["dev@example.com"]
    assert "reviewer is ignored here" in messages(server)
    (refused,) = ledger_events(repo, "config.refused")
    assert refused["data"]["refused"][0]["key"] == "reviewer"
    assert "aaa-lead" not in json.dumps(refused)


# -- finding 11 -------------------------------------------------------------------------

ORG_POLICY = (
    "unreviewed_diagnostic = true\n"
    '[rules]\npacks = ["security", "secrets"]\n'
    "[ledger]\nenabled = true\n"
    '[hooks]\nrequire_review = "block"\n'
)
SWITCH_OFF = (
    "unreviewed_diagnostic = false\n"
    "[rules]\npacks = []\n"
    "[ledger]\nenabled = false\n"
    '[hooks]\nrequire_review = "off"\n'
)
FLOOR_KEYS = {"unreviewed_diagnostic", "rules.packs", "ledger.enabled", "hooks.require_review"}


@pytest.fixture
def org_env(env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    policy = tmp_path / "policy.toml"
    policy.write_text(ORG_POLICY)
    monkeypatch.setenv("GENGUARD_ORG_POLICY", str(policy))
    return {**env, "GENGUARD_ORG_POLICY": str(policy)}


def test_scan_under_an_org_floor_still_finds_the_aws_key(repo: Path, org_env: dict[str, str]):
    (repo / ".genguard.toml").write_text(SWITCH_OFF)
    (repo / "app.py").write_text(AWS_AND_SHELL)
    proc = subprocess.run(
        [*GENGUARD, "scan", ".", "--format", "json"],
        cwd=repo,
        env=org_env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stderr  # findings
    found = {f["rule"] for f in json.loads(proc.stdout)["findings"]}
    assert any("aws" in r for r in found) and any("system" in r or "shell" in r for r in found), (
        found
    )
    refused = [line for line in proc.stderr.splitlines() if line.startswith("refused:")]
    assert len(refused) == 4 and all("organisation policy" in line for line in refused)

    # control: without the organisation policy the repository may turn them off
    off = subprocess.run(
        [*GENGUARD, "scan", ".", "--format", "json"],
        cwd=repo,
        env={**org_env, "GENGUARD_ORG_POLICY": ""},
        capture_output=True,
        text=True,
    )
    assert json.loads(off.stdout)["findings"] == []


def test_editor_under_an_org_floor_keeps_guarding_and_says_so(
    repo: Path, org_env: dict[str, str], serve
) -> None:
    config = repo / ".genguard.toml"
    config.write_text(SWITCH_OFF)
    server = serve(repo, env=org_env)
    server.initialize(repo)
    path = repo / "a.py"
    insert_block(server, path, AWS_AND_SHELL)
    published = [
        m["params"]["diagnostics"]
        for m in server.notifications("textDocument/publishDiagnostics")
        if m["params"]["uri"] == path.as_uri()
    ]
    codes = {d["code"] for d in published[-1]}
    assert "genguard.unreviewed-ai" in codes  # unreviewed_diagnostic stays on
    assert any("aws" in c for c in codes), codes  # the secrets pack stays loaded
    refused = [
        d for d in config_diagnostics(server, config) if d["code"] == "genguard.config-refused"
    ]
    assert len(refused) == 4 and all(d["severity"] == 1 for d in refused)
    assert messages(server).count("cannot go below the organisation policy") == 4
    (record,) = ledger_events(repo, "config.refused")  # the ledger stayed on to record it
    assert {r["key"] for r in record["data"]["refused"]} == FLOOR_KEYS
    assert ledger_events(repo, "chunk.created")


def test_gate_under_an_org_floor_blocks_and_records(repo: Path, org_env: dict[str, str]):
    from tests.git.conftest import ai_write

    (repo / ".genguard.toml").write_text(SWITCH_OFF)
    (repo / "README.md").write_text("# demo\n")
    git(repo, "add", "README.md", ".genguard.toml")
    git(repo, "commit", "-qm", "initial")
    assert install_hooks(Git(repo)).ok
    ai_write(repo, "app.py", AWS_AND_SHELL)
    proc = subprocess.run(
        ["git", "commit", "-m", "AI code"], cwd=repo, env=org_env, capture_output=True, text=True
    )
    assert proc.returncode == 1, proc.stderr  # require_review = "block" holds
    lines = [line for line in proc.stderr.splitlines() if "cannot go below" in line]
    assert len(lines) == 4, proc.stderr
    (record,) = ledger_events(repo, "config.refused")
    assert {r["key"] for r in record["data"]["refused"]} == FLOOR_KEYS
    # a second attempt tells again, and is not recorded twice
    again = subprocess.run(
        ["git", "commit", "-m", "AI code"], cwd=repo, env=org_env, capture_output=True, text=True
    )
    assert again.returncode == 1 and "cannot go below" in again.stderr
    assert len(ledger_events(repo, "config.refused")) == 1


def test_org_policy_env_is_read_by_a_fresh_process(org_env: dict[str, str], tmp_path: Path):
    code = "from genguard.config.paths import org_policy_file; print(org_policy_file())"
    out = subprocess.run([sys.executable, "-c", code], env=org_env, capture_output=True, text=True)
    assert out.stdout.strip() == org_env["GENGUARD_ORG_POLICY"]


def test_org_packs_floor_cannot_be_emptied_rule_by_rule(repo: Path, org_env: dict[str, str]):
    """With a floor on packs, a repository cannot disable the floor's rules one by one
    or turn them down to hints; without the organisation policy it may."""
    (repo / "app.py").write_text(AWS_AND_SHELL)
    listed = subprocess.run(
        [*GENGUARD, "scan", ".", "--format", "json"],
        cwd=repo,
        env={**org_env, "GENGUARD_ORG_POLICY": ""},
        capture_output=True,
        text=True,
    )
    rules = sorted({f["rule"] for f in json.loads(listed.stdout)["findings"]})
    assert rules, listed.stderr
    quoted = ", ".join(json.dumps(r) for r in rules)
    (repo / ".genguard.toml").write_text(
        f"[rules]\ndisable = [{quoted}]\n[rules.severity]\n{rules[0]!r} = \"hint\"\n".replace(
            "'", '"'
        )
    )

    def scan(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*GENGUARD, "scan", ".", "--format", "json"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
        )

    guarded = scan(org_env)
    assert {f["rule"] for f in json.loads(guarded.stdout)["findings"]} == set(rules)
    refused = [line for line in guarded.stderr.splitlines() if line.startswith("refused:")]
    assert any("rules.disable" in line for line in refused), guarded.stderr
    assert any("rules.severity" in line for line in refused), guarded.stderr

    # control: without the organisation policy the repository's choice holds
    assert json.loads(scan({**org_env, "GENGUARD_ORG_POLICY": ""}).stdout)["findings"] == []
