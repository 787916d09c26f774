"""Which packages a project declares, and which imports of an AI chunk it does not.

A model that invents a package name (or misremembers one) writes an import that
looks fine and fails only when someone installs whatever answers to that name
in the registry: attackers register such names ("slopsquatting"). The check is
offline: the project's manifests (pyproject.toml, requirements*.txt, setup.cfg,
setup.py, Pipfile, package.json, go.mod, pom.xml, build.gradle) are read from the
file's directory up to the workspace root; standard libraries, the project's own
modules and relative imports are never dependencies. A language whose ecosystem
has no manifest in the project is not judged (a loose script has nothing to
declare against).
"""

from __future__ import annotations

import ast
import configparser
import difflib
import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from genguard.agentrisk.manifests import (
    MANIFEST_NAMES,
    is_requirements,
    manifest_files,
    project_dirs,
    signature,
)
from genguard.agentrisk.stdlib import (
    is_go_std,
    is_java_platform,
    is_node_builtin,
    is_python_stdlib,
    python_stdlib,
)
from genguard.fileio import MANIFEST_MAX_BYTES, read_regular
from genguard.governance.imports import ImportRef, find_imports

_DATA = Path(__file__).with_name("data")
_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9._-]+)")
_SEP = re.compile(r"[-_.]+")
_GO_REQUIRE = re.compile(r"^\s*(?:require\s+)?([A-Za-z0-9][^\s]*\.[^\s]*)\s+v[0-9]", re.MULTILINE)
_GO_MODULE = re.compile(r"^\s*module\s+(\S+)", re.MULTILINE)
_GRADLE_DEP = re.compile(r"""['"]([A-Za-z0-9_.-]+):([A-Za-z0-9_.-]+)(?::[^'"]*)?['"]""")
_GRADLE_GROUP = re.compile(r"""group\s*[:=]\s*['"]([A-Za-z0-9_.-]+)['"]""")
_POM_DEP = re.compile(
    r"<dependency>.*?<groupId>\s*([^<\s]+)\s*</groupId>.*?<artifactId>\s*([^<\s]+)\s*</artifactId>",
    re.DOTALL,
)
_POM_SELF = re.compile(r"<groupId>\s*([^<\s]+)\s*</groupId>")
_JAVA_PACKAGE = re.compile(r"^\s*package\s+([A-Za-z_][\w.]*)\s*;", re.MULTILINE)
_IMPORT_GUARDS = re.compile(rb"\b(?:ImportError|ModuleNotFoundError)\b")

MANIFESTS: tuple[str, ...] = (
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "Pipfile",
    "package.json",
    "go.mod",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "tsconfig.json",
    "jsconfig.json",
)
"""Manifest file names read in each directory (plus ``requirements*.txt``)."""

JAVA_GROUPS: Mapping[str, tuple[str, ...]] = {
    "com.google.common": ("com.google.guava",),
    "lombok": ("org.projectlombok",),
    "org.apache.commons.io": ("commons-io",),
    "org.apache.commons.codec": ("commons-codec",),
    "org.junit": ("junit", "org.junit.jupiter", "org.junit"),
    "org.hamcrest": ("org.hamcrest", "junit"),
}
"""Java packages whose Maven group does not share their name."""

TEST_RUNNERS = frozenset({"pytest", "_pytest"})
"""Python test runners imported by test code without being project dependencies."""


class ManifestError(ValueError):
    """A manifest that cannot be read; the check then stays quiet for that ecosystem."""


def normalize(name: str) -> str:
    """PEP 503 normal form: lower case, runs of ``-_.`` as one ``-``."""
    return _SEP.sub("-", name).lower()


@dataclass(frozen=True)
class ProjectDeps:
    """Declared dependencies per ecosystem; ``None`` means no manifest for it was found."""

    python: frozenset[str] | None = None
    node: frozenset[str] | None = None
    go: tuple[str, ...] | None = None
    java: tuple[str, ...] | None = None  # Maven group ids
    go_module: str | None = None
    local_python: frozenset[str] = frozenset()
    local_node: frozenset[str] = frozenset()  # own package names, top-level source dirs
    local_java: tuple[str, ...] = ()
    manifests: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


@dataclass
class _Collect:
    python: set[str] | None = None
    node: set[str] | None = None
    go: list[str] | None = None
    java: list[str] | None = None
    go_module: str | None = None
    local_python: set[str] = field(default_factory=set)
    local_node: set[str] = field(default_factory=set)
    local_java: set[str] = field(default_factory=set)
    manifests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add_python(self, names: Iterable[str]) -> None:
        if self.python is None:
            self.python = set()
        self.python.update(normalize(n) for n in names if n)

    def add_node(self, names: Iterable[str]) -> None:
        if self.node is None:
            self.node = set()
        self.node.update(names)

    def freeze(self) -> ProjectDeps:
        return ProjectDeps(
            python=frozenset(self.python) if self.python is not None else None,
            node=frozenset(self.node) if self.node is not None else None,
            go=tuple(self.go) if self.go is not None else None,
            java=tuple(self.java) if self.java is not None else None,
            go_module=self.go_module,
            local_python=frozenset(self.local_python),
            local_node=frozenset(self.local_node),
            local_java=tuple(sorted(self.local_java)),
            manifests=tuple(self.manifests),
            problems=tuple(self.problems),
        )


# -- manifests ------------------------------------------------------------------------


def _requirement_name(line: str) -> str | None:
    line = line.split(" #", 1)[0].strip()
    if not line or line.startswith("#"):
        return None
    egg = _EGG.search(line)
    if egg:
        return egg.group(1)
    if line.startswith("-") or "://" in line:
        return None
    m = _NAME.match(line)
    return m.group(1) if m else None


def _requirements(text: str) -> list[str]:
    return [n for n in (_requirement_name(x) for x in text.splitlines()) if n]


def _pyproject(text: str, out: _Collect, where: str) -> None:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{where}: {exc}") from exc
    names: list[str] = []
    project = doc.get("project")
    python_seen = False
    if isinstance(project, dict):
        python_seen = True
        if isinstance(project.get("name"), str):
            out.local_python.add(project["name"].replace("-", "_"))
        names += _requirements(
            "\n".join(x for x in project.get("dependencies", []) if isinstance(x, str))
        )
        for extra in (project.get("optional-dependencies") or {}).values():
            if isinstance(extra, list):
                names += _requirements("\n".join(x for x in extra if isinstance(x, str)))
    groups = doc.get("dependency-groups")
    if isinstance(groups, dict):
        python_seen = True
        for group in groups.values():
            if isinstance(group, list):
                names += _requirements("\n".join(x for x in group if isinstance(x, str)))
    poetry = doc.get("tool", {}).get("poetry") if isinstance(doc.get("tool"), dict) else None
    if isinstance(poetry, dict):
        python_seen = True
        tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
        for group in (poetry.get("group") or {}).values():
            if isinstance(group, dict):
                tables.append(group.get("dependencies"))
        for table in tables:
            if isinstance(table, dict):
                names += [k for k in table if k.lower() != "python"]
    if python_seen:
        out.add_python(names)


def _setup_cfg(text: str, out: _Collect, where: str) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        raise ManifestError(f"{where}: {exc}") from exc
    if not parser.has_section("options"):
        return
    names = _requirements(parser.get("options", "install_requires", fallback=""))
    if parser.has_section("options.extras_require"):
        for _key, value in parser.items("options.extras_require"):
            names += _requirements(value)
    out.add_python(names)


def _literal_strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
    if isinstance(node, ast.Dict):
        return [s for v in node.values for s in _literal_strings(v)]
    return []


def _setup_py(text: str, out: _Collect, where: str) -> None:
    """``install_requires`` / ``extras_require`` literals of a ``setup()`` call (never run)."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise ManifestError(f"{where}: {exc}") from exc
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("install_requires", "extras_require"):
            names += _requirements("\n".join(_literal_strings(node.value)))
    out.add_python(names)


def _pipfile(text: str, out: _Collect, where: str) -> None:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{where}: {exc}") from exc
    out.add_python(k for t in ("packages", "dev-packages") for k in (doc.get(t) or {}))


def _package_json(text: str, out: _Collect, where: str) -> None:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ManifestError(f"{where}: {exc}") from exc
    if not isinstance(doc, dict):
        raise ManifestError(f"{where}: not a JSON object")
    names: list[str] = []
    for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
        table = doc.get(key)
        if isinstance(table, dict):
            names += list(table)
    out.add_node(names)
    if isinstance(doc.get("name"), str):
        out.local_node.add(doc["name"])
    imports = doc.get("imports")
    if isinstance(imports, dict):
        out.local_node.update(k.rstrip("*").rstrip("/") for k in imports)


def _tsconfig(text: str, out: _Collect, where: str) -> None:
    """Path aliases (``compilerOptions.paths``) are the project's own modules."""
    stripped = re.sub(r"(?m)^\s*//.*$|/\*.*?\*/", "", text, flags=re.DOTALL)
    stripped = re.sub(r",(\s*[}\]])", r"\1", stripped)
    try:
        doc = json.loads(stripped)
    except ValueError:
        return  # tsconfig allows more than JSON; aliases are a refinement only
    paths = (doc.get("compilerOptions") or {}).get("paths") if isinstance(doc, dict) else None
    if isinstance(paths, dict):
        out.local_node.update(k.rstrip("*").rstrip("/") for k in paths if k.rstrip("*/"))


def _go_mod(text: str, out: _Collect, where: str) -> None:
    module = _GO_MODULE.search(text)
    out.go_module = out.go_module or (module.group(1) if module else None)
    out.go = [*(out.go or []), *_GO_REQUIRE.findall(text)]


def _pom(text: str, out: _Collect, where: str) -> None:
    out.java = [*(out.java or []), *(g for g, _a in _POM_DEP.findall(text))]
    head = text.split("<dependencies>", 1)[0]
    own = _POM_SELF.search(re.sub(r"<parent>.*?</parent>", "", head, flags=re.DOTALL))
    if own:
        out.local_java.add(own.group(1))


def _gradle(text: str, out: _Collect, where: str) -> None:
    out.java = [*(out.java or []), *(g for g, _a in _GRADLE_DEP.findall(text))]
    own = _GRADLE_GROUP.search(text)
    if own:
        out.local_java.add(own.group(1))


_READERS = {
    "pyproject.toml": _pyproject,
    "setup.cfg": _setup_cfg,
    "setup.py": _setup_py,
    "Pipfile": _pipfile,
    "package.json": _package_json,
    "tsconfig.json": _tsconfig,
    "jsconfig.json": _tsconfig,
    "go.mod": _go_mod,
    "pom.xml": _pom,
    "build.gradle": _gradle,
    "build.gradle.kts": _gradle,
}
assert _READERS.keys() == MANIFEST_NAMES, "a manifest is read here and named in .manifests"


def _local_modules(directory: Path, out: _Collect) -> None:
    """Top-level Python modules and packages, and JS source dirs, in ``directory``."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_file() and name.endswith((".py", ".pyi")):
            out.local_python.add(name.rsplit(".", 1)[0])
        elif entry.is_dir() and name.isidentifier():
            out.local_python.add(name)
            out.local_node.add(name)
        elif entry.is_file() and name.endswith((".js", ".ts", ".mjs", ".cjs", ".tsx", ".jsx")):
            out.local_node.add(name.rsplit(".", 1)[0])


def _java_sources(root: Path, out: _Collect) -> None:
    for base in ("src/main/java", "src/test/java", "src"):
        top = root / base
        if not top.is_dir():
            continue
        for first in _dirs(top):
            seconds = _dirs(first)
            if not seconds:
                out.local_java.add(first.name)
            for second in seconds:
                out.local_java.add(f"{first.name}.{second.name}")
        if base != "src":
            break


def _dirs(path: Path) -> list[Path]:
    try:
        return [Path(e.path) for e in os.scandir(path) if e.is_dir() and e.name.isidentifier()]
    except OSError:
        return []


def load_project(root: Path, file: str) -> ProjectDeps:
    """Dependencies declared for ``file`` (workspace-relative) under ``root``, cached until a
    manifest or one of the directories on the way changes."""
    return _load(root.resolve(), file, signature(root, file))


@cache
def _load(root: Path, file: str, _sig: tuple[tuple[str, int, int], ...]) -> ProjectDeps:
    out = _Collect()
    dirs = project_dirs(root, file)
    for directory in dirs:
        _local_modules(directory, out)
        for path in manifest_files(directory):
            rel = path.relative_to(root).as_posix()
            try:
                raw = read_regular(path, limit=MANIFEST_MAX_BYTES, within=root)
                text = raw.decode("utf-8", errors="replace")
                if is_requirements(path.name) or path.parent.name == "requirements":
                    out.add_python(_requirements(text))
                else:
                    _READERS[path.name](text, out, rel)
            except (OSError, ManifestError) as exc:
                out.problems.append(str(exc))
                continue
            out.manifests.append(rel)
    for sub in ("src", "lib"):
        if (root / sub).is_dir():
            _local_modules(root / sub, out)
    _java_sources(root, out)
    return out.freeze()


# -- imports ----------------------------------------------------------------------------


@cache
def _import_names() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    text = (_DATA / "python_import_names.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split()
        if parts and not line.startswith("#"):
            table[parts[0]] = tuple(normalize(p) for p in parts[1:])
    return table


@cache
def _installed_distributions() -> dict[str, tuple[str, ...]]:
    """Import name -> distributions, from the running environment's metadata (no network)."""
    try:
        from importlib.metadata import packages_distributions

        found = packages_distributions()
    except Exception:  # a broken dist-info somewhere must not break the check
        return {}
    return {k: tuple(normalize(d) for d in v) for k, v in found.items()}


def python_candidates(module: str) -> list[str]:
    """Distribution names that may provide ``module``, most likely first."""
    parts = module.split(".")
    top = parts[0]
    out = [normalize(top)]
    out += ["-".join(parts[:i]).lower() for i in range(len(parts), 1, -1)]
    out += list(_import_names().get(top, ()))
    for variant in (f"python-{top}", f"py{top}", f"py-{top}", f"{top}-python", f"{top}-py"):
        out.append(normalize(variant))
    return list(dict.fromkeys(out))


def _python_declared(module: str, deps: ProjectDeps) -> bool:
    declared = deps.python or frozenset()
    if any(c in declared for c in python_candidates(module)):
        return True
    top = module.split(".", 1)[0]
    return any(d in declared for d in _installed_distributions().get(top, ()))


def _indent(line: bytes) -> int:
    return len(line) - len(line.lstrip())


def _guarded(source: bytes, offset: int) -> bool:
    """An import inside ``try: ... except ImportError`` is optional by design."""
    lines = source.split(b"\n")
    at = source.count(b"\n", 0, offset)
    depth = _indent(lines[at])
    for i in range(at - 1, -1, -1):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith(b"#"):
            continue
        if _indent(line) < depth:
            if line.strip() != b"try:":
                return False
            outer = _indent(line)
            for after in lines[at + 1 :]:
                if (
                    after.strip()
                    and _indent(after) == outer
                    and after.lstrip().startswith(b"except")
                ):
                    if _IMPORT_GUARDS.search(after):
                        return True
                elif after.strip() and _indent(after) < outer:
                    break
            return False
    return False


def _node_package(spec: str) -> str:
    parts = spec.split("/")
    return "/".join(parts[:2]) if spec.startswith("@") and len(parts) > 1 else parts[0]


def _node_local(spec: str, deps: ProjectDeps) -> bool:
    if spec.startswith((".", "/", "~", "#", "@/", "$")):
        return True
    if ":" in spec and not spec.startswith("node:"):
        return True  # virtual:, npm:, bun: and other loader schemes
    package = _node_package(spec)
    return any(spec == p or spec.startswith(p + "/") or package == p for p in deps.local_node if p)


def _java_declared(name: str, deps: ProjectDeps) -> bool:
    segs = name.split(".")
    groups = deps.java or ()
    for prefix, mapped in JAVA_GROUPS.items():
        covered = name == prefix or name.startswith(prefix + ".")
        if covered and any(g in groups for g in mapped):
            return True
    for group in groups:
        gsegs = group.split(".")
        if segs[: len(gsegs)] == gsegs:
            return True
        if len(gsegs) >= 2 and len(segs) >= 2 and segs[:2] == gsegs[:2]:
            return True  # same organisation: starters and BOMs bring the rest in
    return False


def _java_local(name: str, deps: ProjectDeps, text: bytes) -> bool:
    own = set(deps.local_java)
    for m in _JAVA_PACKAGE.finditer(text.decode("utf-8", "replace")):
        segs = m.group(1).split(".")
        own.add(".".join(segs[:2]))
    return any(name == p or name.startswith(p + ".") for p in own if p)


@dataclass(frozen=True, slots=True)
class Undeclared:
    """An import the project does not declare; ``suggestion`` is a close declared name."""

    ref: ImportRef
    package: str
    ecosystem: str
    suggestion: str | None = None


def _suggest(name: str, known: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.85)
    return close[0] if close and close[0] != name else None


def undeclared_imports(
    text: bytes, language: str | None, deps: ProjectDeps, *, in_tests: bool = False
) -> list[Undeclared]:
    """Imports in ``text`` of packages ``deps`` does not declare (stdlib and local excluded).

    ``in_tests``: the text is test code, whose runner (pytest) is often installed
    by the CI or the developer rather than declared.
    """
    if language == "python":
        if deps.python is None:
            return []
        out = []
        for ref in find_imports(text, "python"):
            top = ref.name.split(".", 1)[0]
            if not top or is_python_stdlib(ref.name) or top in deps.local_python:
                continue
            if top in TEST_RUNNERS and in_tests:
                continue
            if _python_declared(ref.name, deps) or _guarded(text, ref.start):
                continue
            hint = _suggest(normalize(top), [*deps.python, *python_stdlib()])
            out.append(Undeclared(ref, top, "python", hint))
        return out
    if language in ("javascript", "typescript", "tsx"):
        if deps.node is None:
            return []
        out = []
        for ref in find_imports(text, language):
            spec = ref.name
            if is_node_builtin(spec) or _node_local(spec, deps):
                continue
            package = _node_package(spec)
            node = deps.node
            if package in node or f"@types/{package.lstrip('@').replace('/', '__')}" in node:
                continue
            if package.startswith("@types/"):
                continue
            out.append(Undeclared(ref, package, "npm", _suggest(package, node)))
        return out
    if language == "go":
        if deps.go is None:
            return []
        out = []
        for ref in find_imports(text, "go"):
            path = ref.name
            if is_go_std(path):
                continue
            mod = deps.go_module
            if mod and (path == mod or path.startswith(mod + "/")):
                continue
            if any(path == r or path.startswith(r + "/") for r in deps.go):
                continue
            out.append(Undeclared(ref, path, "go", _suggest(path, deps.go)))
        return out
    if language == "java":
        if deps.java is None:
            return []
        out = []
        for ref in find_imports(text, "java"):
            name = ref.name.removeprefix("static ").strip()
            if is_java_platform(name) or _java_local(name, deps, text):
                continue
            if _java_declared(name, deps):
                continue
            out.append(Undeclared(ref, ".".join(name.split(".")[:3]), "maven"))
        return out
    return []


def describe(item: Undeclared, deps: ProjectDeps) -> str:
    """The finding's specifics: what is imported, against which manifests."""
    where = ", ".join(deps.manifests) or "the project's manifests"
    hint = f"; did you mean {item.suggestion!r}?" if item.suggestion else ""
    return f"Imports {item.package!r} ({item.ecosystem}), which is not declared in {where}{hint}"


def parse_manifest(name: str, text: str) -> dict[str, Any]:
    """What one manifest declares (for tests and ``genguard`` tooling)."""
    out = _Collect()
    if is_requirements(name):
        out.add_python(_requirements(text))
    else:
        reader = _READERS.get(name)
        if reader is None:
            raise ManifestError(f"{name}: not a manifest genguard reads")
        reader(text, out, name)
    deps = out.freeze()
    return {
        "python": sorted(deps.python) if deps.python is not None else None,
        "node": sorted(deps.node) if deps.node is not None else None,
        "go": list(deps.go) if deps.go is not None else None,
        "java": list(deps.java) if deps.java is not None else None,
    }
