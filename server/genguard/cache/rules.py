"""The rules in force, cached for every process that loads them, and the policy hash.

Loading the workspace rules validates every rule's tree-sitter query for every
language, which costs far more than a commit hook may spend, or a scan whose files
are all in the result cache. The loaded rule set is therefore kept as JSON in the
user cache dir, keyed by everything ``load_workspace_rules`` depends on: the
settings fingerprint, where genguard is installed, the size and mtime of every
rule file (built-in packs and the repository's ``.genguard/rules``) and of the
rule engine's own source (an upgrade rewrites it), and the versions of tree-sitter
and its grammars (which decide whether a query compiles). genguard's version is
left out on purpose: asking for it costs more than the whole lookup. Sets stored
more than a day before are swept when another one is stored (a later use stores
it again).

A set is stored only when what is written restores to the same rule set (its
content hashes back to its version), and with the sha256 of the bytes written; it
is used only if those bytes still hash to it. Anything else (a miss, a damaged or
older file) loads the rules the normal way. Checking the bytes, not recomputing the
version from every rule, keeps the lookup a small part of a scan's start.

The policy hash recorded in every note is ``sha256(settings fingerprint + "\\n" +
rules version)``: it changes when any setting or any loaded rule changes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any

import genguard
from genguard.config import Settings
from genguard.digest import sha256
from genguard.fileio import regular_files_under, sweep, write_private

_RULE_SUFFIXES = (".yaml", ".yml")
CACHE_SUBDIR = "hook-rules"


def policy_hash(settings: Settings, rules_version: str) -> str:
    digest = sha256(f"{settings.fingerprint()}\n{rules_version}".encode())
    return "sha256:" + digest.hexdigest()


def current_policy_hash(
    root: Path | None, settings: Settings, version: str | None = None
) -> str | None:
    """The policy hash with the rules' ``version`` (else the cached one's); None when the
    rules cannot even be loaded (a note is still worth writing without it)."""
    try:
        return policy_hash(settings, version or rules_version(root, settings))
    except Exception:
        return None


def builtin_rules_dir() -> Path:
    """Where the built-in packs are (as ``genguard.rules.loader.builtin_rules_dir`` finds
    them), computed without importing the rule engine."""
    package = Path(genguard.__file__).resolve().parent
    packaged = package / "packs"
    return packaged if packaged.is_dir() else package.parents[1] / "rules"


def _signature(root: Path | None) -> list[list[Any]]:
    """Size and mtime of every input of a rule load."""
    package = Path(genguard.__file__).resolve().parent
    files = [package / "__init__.py"]
    files += [package / "rules" / name for name in ("loader.py", "workspace.py", "model.py")]
    files.append(package / "taint" / "spec.py")
    for dirpath, _dirs, names in os.walk(builtin_rules_dir()):
        files.extend(Path(dirpath) / n for n in names if n.endswith(_RULE_SUFFIXES))
    if root is not None:  # the repository's: never walked outside it, nor without bound
        found, _ = regular_files_under(
            root / ".genguard" / "rules", within=root, suffixes=_RULE_SUFFIXES
        )
        files.extend(found)
    from genguard.syntax.installed import dist_versions

    out: list[list[Any]] = [
        [name, version, 0]
        for name, version in sorted(dist_versions().items())
        if "tree_sitter" in name
    ]
    for f in sorted(files):
        try:
            st = f.stat()
        except OSError:
            continue
        out.append([str(f), st.st_size, st.st_mtime_ns])
    return out


def rules_key(root: Path | None, settings: Settings) -> str:
    """A digest of every input of ``load_workspace_rules(root, settings)``: equal keys,
    equal rule sets (and equal policies built from them).

    A repository without a ``.genguard/rules`` of its own adds nothing to the built-in
    packs, so its key leaves it out: every such repository with the same settings
    shares one cached set, and the first scan of a new one does not read the packs."""
    if root is not None and not (root / ".genguard" / "rules").exists():
        root = None  # what load_workspace_rules finds there: no rules
    key = json.dumps([settings.fingerprint(), str(root), _signature(root)], separators=(",", ":"))
    return sha256(key.encode()).hexdigest()[:32]


def _cache_file(root: Path | None, settings: Settings) -> Path:
    from genguard.config.paths import user_dir

    return user_dir("cache") / CACHE_SUBDIR / f"{rules_key(root, settings)}.json"


def _plain(value: Any) -> Any:
    if hasattr(value, "raw") and hasattr(value, "sinks"):  # a taint spec: as written
        return value.raw
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, MappingProxyType | dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _restored(key: str, value: Any) -> Any:
    if key == "taint" and value is not None:
        from genguard.taint.spec import parse_spec

        return parse_spec(value)
    return _typed(value)


def _typed(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_typed(v) for v in value)
    if isinstance(value, dict):
        return MappingProxyType({k: _typed(v) for k, v in value.items()})
    return value


#: The head of a stored set: its version first (:func:`rules_version` reads only that),
#: then the sha256 of the JSON after it, which holds the rules and the load's errors.
_HEAD = re.compile(rb'\{"version": "([0-9A-Za-z:._-]{1,128})", "sha256": "([0-9a-f]{64})", "set": ')


def _encode(ruleset: Any) -> bytes:
    body = json.dumps(
        {
            "rules": [
                {f.name: _plain(getattr(r, f.name)) for f in dataclasses.fields(r)}
                for r in ruleset.rules
            ],
            "errors": [dataclasses.asdict(e) for e in ruleset.errors],
        }
    ).encode()
    import hashlib  # a whole rule set: OpenSSL's is faster on large data

    digest = hashlib.sha256(body).hexdigest()
    return b'{"version": "%s", "sha256": "%s", "set": %s}' % (
        ruleset.version.encode("ascii"),
        digest.encode(),
        body,
    )


def _body(data: bytes) -> tuple[str, Any] | None:
    """(version, the set's JSON) of a stored set whose bytes hash to what it records."""
    head = _HEAD.match(data)
    if head is None or not data.endswith(b"}"):
        return None
    import hashlib  # (see _encode)

    body = data[head.end() : -1]
    if hashlib.sha256(body).hexdigest() != head.group(2).decode():
        return None
    try:
        return head.group(1).decode("ascii"), json.loads(body)
    except ValueError:
        return None


def _decode(data: bytes) -> Any | None:
    from genguard.rules.model import Rule, RuleError, RuleSet

    found = _body(data)
    if found is None:
        return None
    version, body = found
    try:
        rules = tuple(Rule(**{k: _restored(k, v) for k, v in r.items()}) for r in body["rules"])
        errors = tuple(RuleError(**e) for e in body["errors"])
    except (ValueError, KeyError, TypeError):
        return None
    return RuleSet(rules=rules, errors=errors, version=version)


def _store(path: Path, ruleset: Any) -> None:
    from genguard.rules.loader import ruleset_version

    try:
        data = _encode(ruleset)
    except (TypeError, ValueError, UnicodeError):
        return
    back = _decode(data)
    if back is None or ruleset_version(back.rules) != ruleset.version:
        return  # something does not survive the round trip: never store it
    with contextlib.suppress(OSError):
        write_private(path, data)
        sweep(path.parent, 24 * 3600.0, keep=lambda name: name == path.name)


def _restore(path: Path) -> Any | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return _decode(data)


def workspace_rules(root: Path | None, settings: Settings) -> Any:
    """``load_workspace_rules(root, settings)``, from the cache when it is current."""
    path = _cache_file(root, settings)
    cached = _restore(path) if path.exists() else None
    if cached is not None:
        return cached
    from genguard.rules.workspace import load_workspace_rules

    ruleset = load_workspace_rules(root, settings)
    _store(path, ruleset)
    return ruleset


def rule_table(root: Path | None, settings: Settings) -> dict[str, dict[str, Any]]:
    """Each rule in force by id, as plain values read from the cache (the rule engine is
    not loaded when the cache is current): for what needs a rule's words, not to match."""
    path = _cache_file(root, settings)
    try:
        found = _body(path.read_bytes())
        if found is not None:
            rules = found[1]["rules"]
            return {
                r["id"]: r for r in rules if isinstance(r, dict) and isinstance(r.get("id"), str)
            }
    except (OSError, KeyError, TypeError):
        pass
    return {
        r.id: {f.name: _plain(getattr(r, f.name)) for f in dataclasses.fields(r)}
        for r in workspace_rules(root, settings).rules
    }


#: A cached set begins with its version (:func:`_store` writes it first), so the policy
#: hash every commit's note holds is read from the file's first bytes, not its whole JSON.
_VERSION = re.compile(rb'\{"version": "([0-9A-Za-z:._-]{1,128})", ')


def rules_version(root: Path | None, settings: Settings) -> str:
    """The version of the rules in force (cached; see the module docstring)."""
    path = _cache_file(root, settings)
    try:
        with path.open("rb") as f:
            found = _VERSION.match(f.read(256))
        if found is not None:
            return found.group(1).decode("ascii")
    except OSError:
        pass
    return workspace_rules(root, settings).version
