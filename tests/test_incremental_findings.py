"""An edited document's findings are those a fresh check of its text finds.

The editor checks only what an edit can change: pattern and regex rules where the
text (or its tree) changed, taint rules wherever a flow through the edited function
passes. Random edits of code that holds both kinds of finding, checked one by one
(scope ``all``), must leave exactly the findings a check of the whole text gives.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from genguard.session.session import Session

BASE = """import os
import subprocess
import requests
from flask import Flask, request

app = Flask(__name__)


def run_it(cmd):
    return subprocess.call(cmd, shell=True)


def fetch(url):
    return requests.get(url, timeout=5)


@app.route("/a")
def handler_a():
    name = request.args.get("name")
    return run_it(name)


@app.route("/b")
def handler_b():
    target = request.args.get("url")
    data = fetch(target)
    return data.text


class Store:
    def __init__(self, path):
        self.path = path

    def load(self):
        return eval(open(self.path).read())

    def save(self, value):
        os.system("cp " + value)
"""

SNIPPETS = [
    "    requests.get(url, verify=False)\n",
    "    value = eval(item)\n",
    "    return run_it(request.args.get('q'))\n",
    "    os.system(cmd)\n",
    "    x = 1\n",
    "    # eval(user_input) in a comment\n",
    '    """os.system(cmd) in a docstring"""\n',
    "\n\ndef helper(cmd):\n    return os.system(cmd)\n",
    "\n\n@app.route('/c')\ndef handler_c():\n    return helper(request.args['c'])\n",
    "\n\ndef run_it(cmd):\n    return cmd\n",
    "import yaml\n",
    "data = yaml.load(stream)\n",
]


def _keys(doc) -> list[tuple[str, int, int]]:
    return sorted((f.rule.id, f.start, f.end) for f in doc.findings)


def _paths(doc) -> list[tuple[str, int, tuple[tuple[int, int], ...]]]:
    return sorted(
        (f.rule.id, f.start, tuple((r.start, r.end) for r in f.related)) for f in doc.findings
    )


@pytest.mark.parametrize("seed", range(12))
def test_edited_findings_equal_a_fresh_check(repo: Path, tmp_path: Path, seed: int) -> None:
    (repo / ".genguard.toml").write_text('scope = "all"\n')
    rng = random.Random(seed)
    session = Session(repo, cache_dir=tmp_path / "kept")
    fresh_session = Session(repo, cache_dir=tmp_path / "fresh")
    uri = (repo / "a.py").as_uri()
    doc = session.open(uri, "python", 1, BASE)
    session.check(doc)
    version = 1
    for step in range(40):
        lines = doc.buffer.data.decode().split("\n")
        line = rng.randrange(len(lines))
        if rng.random() < 0.25 and len(lines) > 3:  # take a line or two out
            last = min(len(lines) - 1, line + rng.randrange(1, 3))
            change = (((line, 0), (last, 0)), "")
        elif rng.random() < 0.3:  # a few characters within a line
            col = rng.randrange(len(lines[line]) + 1)
            change = (((line, col), (line, col)), rng.choice(["x", "(", ")", '"', ".get", " "]))
        else:
            change = (((line, 0), (line, 0)), rng.choice(SNIPPETS))
        version += 1
        session.change(uri, version, [change])
        session.check(doc)
        text = doc.buffer.data.decode()
        fresh_uri = (repo / f"b{step}.py").as_uri()
        fresh = fresh_session.open(fresh_uri, "python", 1, text)
        fresh_session.check(fresh)
        assert _keys(doc) == _keys(fresh), f"step {step}, {change!r}:\n{text}"
        # and each taint finding's path is where the fresh check puts it
        assert _paths(doc) == _paths(fresh), f"step {step}, {change!r}:\n{text}"
        fresh_session.close(fresh_uri)
