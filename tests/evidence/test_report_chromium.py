"""``report.html`` in a real headless Chromium: it renders offline with its charts drawn.

Debian's ``chromium`` package (``apt-get install -y chromium``). The DOM Chromium
builds must hold every chart as an accessible SVG with its bars and data
labels; the screenshot must be a real picture (not one colour) showing the
charts' own colours. The PNG is decoded here with zlib alone.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.evidence.conftest import History

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian: apt-get install -y chromium)",
)
CHARTS = (
    "chart-ai-share",
    "chart-severity",
    "chart-cwe",
    "chart-control",
    "chart-review",
    "chart-files",
)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    env = {**os.environ, "HOME": str(tmp_path)}
    proc = subprocess.run(cmd, capture_output=True, timeout=120, env=env, check=False)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    return proc


class _Charts(HTMLParser):
    """Per chart: its accessible title, bars (series, category, value) and data labels."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, dict] = {}
        self._chart: dict | None = None
        self._text: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "svg" and a.get("data-chart"):
            self._chart = {
                "role": a.get("role"),
                "labelledby": a.get("aria-labelledby"),
                "bars": [],
                "labels": [],
                "title": "",
            }
            self.charts[str(a["data-chart"])] = self._chart
        elif self._chart is not None and tag == "rect" and a.get("class") == "bar":
            self._chart["bars"].append((a["data-series"], a["data-category"], a["data-value"]))
        elif self._chart is not None and tag == "text" and a.get("class") == "data-label":
            self._text = "label"
        elif self._chart is not None and tag == "title" and a.get("id", "").endswith("-title"):
            self._text = "title"

    def handle_data(self, data: str) -> None:
        if self._chart is None or self._text is None:
            return
        if self._text == "label":
            self._chart["labels"].append(data.strip())
        else:
            self._chart["title"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("text", "title"):
            self._text = None
        elif tag == "svg":
            self._chart = None


def decode_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """(width, height, bytes per pixel, rows) of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, []
    width = height = bpp = 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    assert len(raw) == height * (stride + 1)
    prev = bytearray(stride)
    rows: list[bytes] = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def rows_with(rows: list[bytes], colour: str, bpp: int) -> int:
    """How many pixel rows hold at least one pixel of exactly ``colour`` (``#RRGGBB``)."""
    want = bytes.fromhex(colour[1:])
    count = 0
    for row in rows:
        i = row.find(want)
        while i != -1 and i % bpp:
            i = row.find(want, i + 1)
        count += i != -1
    return count


def test_report_renders_offline_in_chromium(
    history: History,
    bundle: Path,
    tmp_path: Path,
) -> None:
    url = (bundle / "report.html").as_uri()
    dom = chromium(tmp_path, "--dump-dom", url).stdout.decode("utf-8")
    assert "AI code evidence: repo" in html.unescape(dom)
    parser = _Charts()
    parser.feed(dom)
    assert set(parser.charts) == set(CHARTS)
    for name, chart in parser.charts.items():
        assert chart["role"] == "img" and chart["labelledby"] == f"{name}-title {name}-desc"
        assert chart["title"].strip(), name
    ai = parser.charts["chart-ai-share"]
    assert sorted(ai["bars"]) == [
        ("claude-code/opus-4", "2026-W46", "3"),
        ("claude-code/opus-4", "2026-W47", "3"),
        ("copilot/gpt-4.1", "2026-W45", "4"),
    ]
    assert ai["labels"] == ["33.3%", "33.3%", "60.0%"]  # AI share of each week's added lines
    assert parser.charts["chart-severity"]["bars"] == [
        ("suppressed", "error", "1"),
        ("open", "error", "1"),
    ]
    assert parser.charts["chart-cwe"]["labels"] == ["2"]
    assert ("suppressed", "SOC 2 CC8.1", "1") in parser.charts["chart-control"]["bars"]
    assert parser.charts["chart-review"]["labels"] == ["40.0% of 10", "0% of 6", "100% of 4"]
    assert [b[1] for b in parser.charts["chart-files"]["bars"]] == [
        "calc.py",
        "danger.py",
        "run.py",
    ]
    # a table stands behind each chart
    assert len(re.findall(r"<table>", dom)) >= len(CHARTS)

    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2400", url)
    data = shot.read_bytes()
    assert len(data) > 40_000, "a screenshot this small is blank"
    width, height, bpp, rows = decode_png(data)
    assert (width, height) == (1280, 2400)
    assert len(set(rows)) > 200, "the screenshot is (nearly) a single colour"
    for colour in ("#0072B2", "#E69F00", "#D55E00"):  # the charts' bars: tools, open findings
        assert rows_with(rows, colour, bpp) >= 10, f"no {colour} bars in the screenshot"
