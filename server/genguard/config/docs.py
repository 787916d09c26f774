"""What docs/configuration.md and the editor extension say about the options,
derived from their declarations.

``python -m genguard.config.docs`` rewrites the generated parts of
docs/configuration.md and the editor defaults file from a source checkout;
``--check`` only says whether they are current (a test runs the same check).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from genguard.config.options import Declared, Levels, editor_view, walk
from genguard.config.settings import Settings

BEGIN = "<!-- {name}: generated from genguard.config.settings, do not edit -->"
END = "<!-- end {name} -->"

#: Paths inside a source checkout.
DOCS_FILE = Path("docs") / "configuration.md"
EDITOR_DEFAULTS_FILE = Path("editors") / "vscode" / "src" / "core" / "serverDefaults.json"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _default(d: Declared) -> str:
    if d.option.doc_default is not None:
        return d.option.doc_default
    value = d.option.kind.plain(d.default())
    if value is None:
        return '`""`'
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _key(d: Declared) -> str:
    suffix = f".{d.option.kind.suffix}" if isinstance(d.option.kind, Levels) else ""
    return f"`{d.name}{suffix}`"


def keys_table() -> str:
    """Markdown table: each key, its type, default and meaning."""
    rows = ["| Key | Type | Default | Meaning |", "| --- | --- | --- | --- |"]
    for d in walk(Settings):
        rows.append(
            f"| {_key(d)} | {d.option.kind.doc} | {_cell(_default(d))} | {_cell(d.option.help)} |"
        )
    return "\n".join(rows)


def layers_table() -> str:
    """Markdown table: which layer may set each key, and what an organisation's value
    means for the layers below it."""
    rows = [
        "| Key | Repository | User | Organisation |",
        "| --- | --- | --- | --- |",
    ]
    for d in walk(Settings):
        option = d.option
        floor = f"yes; a floor: {option.kind.floor_doc}" if option.floor else "yes"
        below = "yes, not below the organisation's floor" if option.floor else "yes"
        repository = "no: ignored, and the repository is told" if option.trust == "user" else below
        user = below
        if option.lock is not None:  # refused, and the layer told, once the lock applies
            locked = f"yes, but {option.lock.doc}"
            repository = locked if repository == "yes" else repository
            user = user if "user" in option.lock.open_to else locked
        rows.append(f"| {_key(d)} | {repository} | {user} | {floor} |")
    return "\n".join(rows)


def editor_defaults() -> str:
    """The JSON editor clients start from before the server tells them a workspace's
    values (``genguard/settings``)."""
    return json.dumps(editor_view(Settings.default()), indent=2, sort_keys=True) + "\n"


GENERATED = {"keys": keys_table, "layers": layers_table}


def render(text: str) -> str:
    """``text`` with every generated block replaced by its current content."""
    for name, make in GENERATED.items():
        begin, end = BEGIN.format(name=name), END.format(name=name)
        start = text.find(begin)
        stop = text.find(end, start)
        if start < 0 or stop < 0:
            raise ValueError(f"{begin!r} ... {end!r} not found")
        text = f"{text[: start + len(begin)]}\n{make()}\n{text[stop:]}"
    return text


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    root = Path(next((a for a in args if not a.startswith("-")), "."))
    stale = []
    for path, make in (
        (root / DOCS_FILE, lambda old: render(old)),
        (root / EDITOR_DEFAULTS_FILE, lambda old: editor_defaults()),
    ):
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        new = make(old)
        if new != old:
            stale.append(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    for path in stale:
        print(f"{path}: {'out of date' if check else 'rewritten'}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
