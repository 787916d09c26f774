"""What each language ships with, so an import of it is never taken for a dependency.

Python: the top-level modules of 3.9-3.14 (a list shipped with genguard, so a
project on another Python version than genguard's own is judged right) plus
``sys.stdlib_module_names`` of the running interpreter. Node: the builtin
modules, with or without ``node:``. Go: standard packages have no dot in their
first path element. Java: ``java.``, ``javax.``, ``jdk.`` and a few platform
namespaces. Everything here works offline.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("data")

NODE_BUILTINS: frozenset[str] = frozenset(
    {
        "assert", "assert/strict", "async_hooks", "buffer", "child_process", "cluster",
        "console", "constants", "crypto", "dgram", "diagnostics_channel", "dns",
        "dns/promises", "domain", "events", "fs", "fs/promises", "http", "http2", "https",
        "inspector", "inspector/promises", "module", "net", "os", "path", "path/posix",
        "path/win32", "perf_hooks", "process", "punycode", "querystring", "readline",
        "readline/promises", "repl", "stream", "stream/consumers", "stream/promises",
        "stream/web", "string_decoder", "sys", "timers", "timers/promises", "tls",
        "trace_events", "tty", "url", "util", "util/types", "v8", "vm", "wasi",
        "worker_threads", "zlib",
    }
)  # fmt: skip
"""``require('module').builtinModules`` of current Node releases."""

NODE_PREFIX_ONLY: frozenset[str] = frozenset({"test", "test/reporters", "sqlite", "sea"})
"""Builtins that exist only with the ``node:`` prefix."""

JAVA_PLATFORM_PREFIXES: tuple[str, ...] = (
    "java.",
    "javax.",
    "jdk.",
    "sun.",
    "com.sun.",
    "org.w3c.dom",
    "org.xml.sax",
    "org.ietf.jgss",
)
"""Packages of the Java platform itself (``javax`` and the XML APIs ship with the JDK)."""


@cache
def python_stdlib() -> frozenset[str]:
    """Top-level standard-library module names of Python 3.9-3.14 and the running one."""
    text = (_DATA / "python_stdlib.txt").read_text(encoding="utf-8")
    names = {
        line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")
    }
    return frozenset(names | set(sys.stdlib_module_names) | set(sys.builtin_module_names))


def is_python_stdlib(module: str) -> bool:
    """Whether ``module`` (dotted or not) belongs to the standard library."""
    return module.split(".", 1)[0] in python_stdlib()


def is_node_builtin(specifier: str) -> bool:
    """Whether an import specifier names a Node builtin (``fs``, ``node:fs/promises``)."""
    if specifier.startswith("node:"):
        name = specifier[5:]
        return (
            name in NODE_BUILTINS or name in NODE_PREFIX_ONLY or name.split("/")[0] in NODE_BUILTINS
        )
    return specifier in NODE_BUILTINS


def is_go_std(path: str) -> bool:
    """Standard Go packages have no dot in their first element (``net/http``, ``C``)."""
    return "." not in path.split("/", 1)[0]


def is_java_platform(name: str) -> bool:
    """Whether a Java import belongs to the JDK."""
    return any(name.startswith(p) or name == p.rstrip(".") for p in JAVA_PLATFORM_PREFIXES)
