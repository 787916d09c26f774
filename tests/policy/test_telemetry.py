"""OTLP/HTTP export of ledger events, against a real receiver on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.conftest import git
from tests.policy.conftest import cli
from tests.policy.otlp_receiver import Receiver

from genguard.config import Settings, parse_settings
from genguard.ledger.records import make_record
from genguard.ledger.store import Ledger, ledger_path
from genguard.session.session import Session
from genguard.telemetry import EventMapper, Repository, parse_bound, safe_url, select
from genguard.telemetry.live import LiveExporter

SECRET_REASON = "the reason names an internal host db-7.corp"


def wait_for(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def silent_collector() -> Iterator[str]:
    """Accepts connections and never answers: the worst kind of collector."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(64)
        yield f"http://127.0.0.1:{s.getsockname()[1]}"


def fill_ledger(repo: Path) -> list[dict]:
    git(repo, "remote", "add", "origin", "https://ci-bot:s3cr3t-token@example.com/acme/app.git")
    ledger = Ledger(ledger_path(repo), actor="dev@example.com")
    ledger.append(
        "chunk.created",
        {
            "chunk": "c0ffee000001",
            "file": "app.py",
            "tool": "copilot",
            "model": "gpt-4.1",
            "method": "declared",
            "kind": "inline-completion",
            "lines": [3, 5],
            "line_hashes": ["sha256:" + "1" * 64],
            "prompt_hash": "sha256:" + "2" * 64,
        },
    )
    ledger.append(
        "finding.raised",
        {
            "chunk": "c0ffee000001",
            "file": "app.py",
            "rule": "py-eval-exec",
            "cwe": ["CWE-95"],
            "severity": "error",
            "at": [4, 4],
            "match_hash": "sha256:" + "3" * 64,
        },
    )
    ledger.append(
        "finding.suppressed",
        {
            "chunk": "c0ffee000001",
            "file": "app.py",
            "rule": "py-eval-exec",
            "reason": SECRET_REASON,
            "by": "lead@example.com",
        },
    )
    ledger.append(
        "commit.noted",
        {"commit": "a" * 40, "note_hash": "sha256:" + "4" * 64, "ai_lines": 3, "bypass": False},
    )
    return list(ledger.records())


def test_export_otlp_sends_every_event_with_its_attributes(repo: Path, capsys) -> None:
    records = fill_ledger(repo)
    with Receiver() as rx:
        assert cli("export", "otlp", "--endpoint", rx.endpoint, "-C", str(repo)) == 0
    assert f"sent 4 ledger event(s) to {rx.endpoint}/v1/logs" in capsys.readouterr().err
    got = {r["attributes"]["genguard.seq"]: r for r in rx.records}
    assert sorted(got) == [r["seq"] for r in records]
    created, raised, suppressed, noted = (got[r["seq"]] for r in records)

    for rec, source in zip((created, raised, suppressed, noted), records, strict=True):
        a = rec["attributes"]
        assert a["genguard.record_hash"] == source["hash"]
        assert a["genguard.actor"] == "dev@example.com"
        assert a["genguard.repository"] == "repo"
        assert rec["event_name"] == "genguard." + source["event"]
        assert rec["scope"] == "genguard.ledger"
        assert rec["time"] // 1_000_000 == int(
            datetime.fromisoformat(source["time"].replace("Z", "+00:00")).timestamp() * 1000
        )
        assert rec["resource"]["service.name"] == "genguard"
        assert rec["resource"]["vcs.repository.name"] == "repo"
        assert rec["resource"]["vcs.repository.url.full"] == "https://example.com/acme/app.git"

    assert created["attributes"]["genguard.tool"] == "copilot"
    assert created["attributes"]["genguard.model"] == "gpt-4.1"
    a = raised["attributes"]
    assert (a["genguard.rule"], a["genguard.cwe"], a["genguard.severity"]) == (
        "py-eval-exec",
        ["CWE-95"],
        "error",
    )
    assert a["genguard.tool"] == "copilot" and a["genguard.model"] == "gpt-4.1"  # from the chunk
    assert "CC8.1" in a["genguard.controls.soc2"]
    assert a["genguard.controls.nist_ai_rmf"] == ["MEASURE 2.7"]
    assert raised["severity_text"] == "WARN" and created["severity_text"] == "INFO"
    assert raised["body"] == (
        "finding.raised py-eval-exec (CWE-95) in app.py by copilot (gpt-4.1) [chunk c0ffee000001]"
    )
    assert suppressed["attributes"]["genguard.by"] == "lead@example.com"
    assert suppressed["attributes"]["genguard.cwe"] == ["CWE-95"]  # from the rule
    assert noted["attributes"]["genguard.commit"] == "a" * 40
    assert noted["attributes"]["genguard.ai_lines"] == 3

    wire = json.dumps(rx.records)  # what left the machine
    for never in (SECRET_REASON, "s3cr3t", "ci-bot", "1" * 64, "2" * 64, "3" * 64):
        assert never not in wire


def test_since_and_until_choose_a_window(repo: Path, capsys) -> None:
    fill_ledger(repo)
    today = datetime.now(UTC).date().isoformat()
    with Receiver() as rx:
        args = ["export", "otlp", "--endpoint", rx.endpoint, "-C", str(repo)]
        assert cli(*args, "--since", "2999-01-01") == 0
        assert cli(*args, "--until", "2000-01-01") == 0
        assert rx.records == []
        assert cli(*args, "--since", today, "--until", today) == 0
        assert len(rx.records) == 4
    assert cli(*args, "--since", "last tuesday") == 2
    assert "not a date" in capsys.readouterr().err
    assert cli("export", "otlp", "--endpoint", "ftp://x", "-C", str(repo)) == 2
    assert cli("export", "otlp", "-C", str(repo)) == 2
    assert cli("export", "agent-trace", "--endpoint", "http://x:1", "-C", str(repo)) == 2


def test_select_teaches_the_mapper_outside_the_window() -> None:
    def rec(seq: int, when: str, event: str, data: dict) -> dict:
        return make_record(seq=seq, actor="a", event=event, data=data, prev=None, time=when)

    records = [
        rec(0, "2026-01-01T10:00:00.000Z", "chunk.created", {"chunk": "k", "tool": "aider"}),
        rec(1, "2026-01-02T10:00:00.000Z", "finding.raised", {"chunk": "k", "rule": "r"}),
        rec(2, "2026-01-03T00:00:00.000Z", "chunk.ended", {"chunk": "k"}),
    ]
    events = list(
        select(
            records,
            EventMapper(Repository("r")),
            parse_bound("2026-01-02"),
            parse_bound("2026-01-02", end=True),
        )
    )
    assert [e.event_name for e in events] == ["genguard.finding.raised"]
    assert events[0].attributes["genguard.tool"] == "aider"
    assert parse_bound("2026-01-02T12:30:00+02:00").hour == 12
    with pytest.raises(ValueError, match="not a date"):
        parse_bound("soon")


def test_a_down_collector_fails_promptly_with_a_warning(repo: Path, capsys) -> None:
    fill_ledger(repo)
    endpoint = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    code = cli("export", "otlp", "--endpoint", endpoint, "--timeout", "2", "-C", str(repo))
    elapsed = time.monotonic() - started
    assert code == 1
    err = capsys.readouterr().err
    assert "warning" in err and "accepted 0 of 4 event(s)" in err and "nothing is lost" in err
    assert elapsed < 6


def test_a_collector_that_never_answers_cannot_hang_the_export(repo: Path, capsys) -> None:
    fill_ledger(repo)
    with silent_collector() as endpoint:
        started = time.monotonic()
        code = cli("export", "otlp", "--endpoint", endpoint, "--timeout", "1", "-C", str(repo))
        elapsed = time.monotonic() - started
    assert code == 1 and elapsed < 6
    assert "accepted 0 of 4" in capsys.readouterr().err


def test_the_live_exporter_streams_records(repo: Path) -> None:
    records = fill_ledger(repo)
    with Receiver() as rx:
        live = LiveExporter(rx.endpoint, Repository("repo"), ledger=ledger_path(repo))
        try:
            live.submit(records[1])  # the chunk's tool comes from the replayed ledger
            assert wait_for(lambda: len(rx.records) == 1)
        finally:
            live.close(2.0)
    attrs = rx.records[0]["attributes"]
    assert attrs["genguard.event"] == "finding.raised" and attrs["genguard.tool"] == "copilot"
    assert live.sent == 1 and not live.down


def test_a_down_collector_never_blocks_the_caller(repo: Path) -> None:
    records = fill_ledger(repo)
    warnings: list[str] = []
    live = LiveExporter(
        f"http://127.0.0.1:{free_port()}",
        Repository("repo"),
        queue_size=5,
        backoff=(0.05,),
        timeout=0.5,
        warn=warnings.append,
    )
    try:
        started = time.monotonic()
        for _ in range(50):
            live.submit(records[0])
        assert time.monotonic() - started < 0.2
        assert wait_for(lambda: live.down, 5.0)
        time.sleep(0.5)  # several retries later: still one warning per outage
        down = [w for w in warnings if "not accepting events" in w]
        assert len(down) == 1 and "the editor is not affected" in down[0]
        assert live.dropped >= 40
        assert sum("queue" in w for w in warnings) == 1
    finally:
        started = time.monotonic()
        live.close(1.0)
        assert time.monotonic() - started < 2.0


def test_leaving_the_editor_never_waits_for_the_collector(tmp_path: Path) -> None:
    """A process with records queued for a collector that never answers exits at once."""
    code = (
        "import sys, time\n"
        "from genguard.telemetry import Repository\n"
        "from genguard.telemetry.live import LiveExporter\n"
        "live = LiveExporter(sys.argv[1], Repository('r'), timeout=30)\n"
        "for i in range(20):\n"
        "    live.submit({'seq': i, 'event': 'chunk.created', 'time': '2026-01-01T00:00:00Z',"
        " 'data': {}})\n"
        "time.sleep(0.5)\n"
    )
    with silent_collector() as endpoint:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-c", code, endpoint], capture_output=True, text=True, timeout=60
        )
        elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert elapsed < 10  # start-up and the 0.5 s sleep; never the 30 s export timeout


def test_the_session_streams_when_configured(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Session(repo, cache_dir=tmp_path / "c0").telemetry is None  # off by default
    user = tmp_path / "user-config.toml"  # where events go is the user's choice
    monkeypatch.setenv("GENGUARD_USER_CONFIG", str(user))
    with Receiver() as rx:
        user.write_text(f'[telemetry]\nenabled = true\notlp_endpoint = "{rx.endpoint}"\n')
        session = Session(repo, cache_dir=tmp_path / "c1")
        try:
            assert session.telemetry is not None
            uri = (repo / "a.py").as_uri()
            session.open(uri, "python", 1, "")
            block = "def fetch(url):\n    import requests\n    return requests.get(url).text\n"
            started = time.monotonic()
            session.change(uri, 2, [(((0, 0), (0, 0)), block)])
            assert time.monotonic() - started < 1.0
            assert wait_for(
                lambda: any(r["event_name"] == "genguard.chunk.created" for r in rx.records)
            )
            assert session.reload() is not None and session.telemetry is not None
            user.write_text("[telemetry]\nenabled = false\n")
            session.reload()
            assert session.telemetry is None
        finally:
            if session.telemetry is not None:
                session.telemetry.close(1.0)
    created = next(r for r in rx.records if r["event_name"] == "genguard.chunk.created")
    assert created["attributes"]["genguard.file"] == "a.py"
    assert "requests.get" not in json.dumps(rx.records)


def test_telemetry_settings() -> None:
    result = parse_settings(
        '[telemetry]\nenabled = true\notlp_endpoint = " http://otel:4318 "\n', Path("g.toml")
    )
    assert result.problems == ()
    assert result.settings.telemetry.enabled is True
    assert result.settings.telemetry.otlp_endpoint == "http://otel:4318"
    # transport, not policy: the policy hash does not move
    assert result.settings.fingerprint() == Settings().fingerprint()
    bad = parse_settings(
        '[telemetry]\nenabled = "yes"\notlp_endpoint = "collector:4318"\nendpont = 1\n',
        Path("g.toml"),
    )
    keys = {p.key for p in bad.problems}
    assert {"telemetry.enabled", "telemetry.otlp_endpoint", "telemetry.endpont"} <= keys
    assert bad.settings.telemetry.enabled is False and bad.settings.telemetry.otlp_endpoint is None


def test_safe_url_drops_credentials() -> None:
    assert safe_url("https://u:p@github.com:8443/o/r.git") == "https://github.com:8443/o/r.git"
    assert safe_url("git@github.com:o/r.git") == "github.com:o/r.git"
    assert safe_url("https://github.com/o/r?token=x#frag") == "https://github.com/o/r"
    assert safe_url("") is None
