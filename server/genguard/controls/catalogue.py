"""The control catalogue: frameworks, their controls and genguard's features (data).

The catalogue is one YAML file shipped with the package (``catalogue.yaml`` beside
this module). Keeping titles, honest ceilings and feature mappings in data means an
auditor can read and challenge them without reading code, and a test can check
that nothing is claimed without evidence. A broken catalogue raises
:class:`CatalogueError` naming the file and what is wrong; it is never half-loaded.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")

Status = Literal["Covered", "Partial", "Gap"]
STATUSES: tuple[str, ...] = ("Covered", "Partial", "Gap")

#: Framework names as the command line and JSON speak them -> the key rules use in
#: ``controls``.
FRAMEWORKS: Mapping[str, str] = MappingProxyType(
    {"soc2": "soc2", "nist-ai-rmf": "nist_ai_rmf", "iso42001": "iso42001"}
)
_PUBLIC = {key: name for name, key in FRAMEWORKS.items()}


class CatalogueError(ValueError):
    """The catalogue file is missing or malformed (the message says where and what)."""


def framework_name(name: str) -> str:
    """The public name (``nist-ai-rmf``) for either spelling; ValueError if unknown."""
    if name in FRAMEWORKS:
        return name
    if name in _PUBLIC:
        return _PUBLIC[name]
    raise ValueError(f"unknown framework {name!r} (known: {', '.join(FRAMEWORKS)})")


@dataclass(frozen=True, slots=True)
class Control:
    framework: str  # public name
    id: str
    title: str
    status: str  # the most genguard claims when evidenced
    note: str


@dataclass(frozen=True, slots=True)
class Feature:
    id: str
    title: str
    description: str
    controls: Mapping[str, tuple[str, ...]]  # public framework name -> control ids

    @property
    def available(self) -> bool:
        """Whether this installation has the feature: a feature backed by a command
        (``genguard <id>``) evidences nothing until that command exists."""
        module = _FEATURE_COMMANDS.get(self.id)
        return module is None or importlib.util.find_spec(module) is not None


#: Features that are a command of their own; the others are built into every install.
_FEATURE_COMMANDS: Mapping[str, str] = MappingProxyType(
    {
        "evidence": "genguard.cli.evidence",
        "sbom": "genguard.cli.sbom",
        "policy": "genguard.cli.gate",
        "scan": "genguard.cli.scan",
    }
)


@dataclass(frozen=True, slots=True)
class Catalogue:
    controls: tuple[Control, ...]
    features: tuple[Feature, ...]
    framework_titles: Mapping[str, str]

    def control(self, framework: str, control_id: str) -> Control | None:
        name = framework_name(framework)
        return next((c for c in self.controls if c.framework == name and c.id == control_id), None)


def _need(cond: bool, where: str, message: str) -> None:
    if not cond:
        raise CatalogueError(f"{where}: {message}")


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def parse_catalogue(data: Any, source: str = "<catalogue>") -> Catalogue:
    """Validate the catalogue's plain data; raises CatalogueError on the first problem."""
    _need(isinstance(data, dict), source, "the catalogue must be a mapping")
    frameworks = data.get("frameworks")
    _need(isinstance(frameworks, dict), source, "'frameworks' must be a mapping")
    controls: list[Control] = []
    titles: dict[str, str] = {}
    for key, body in frameworks.items():
        where = f"{source}: frameworks.{key}"
        _need(key in _PUBLIC, where, f"unknown framework key (known: {', '.join(_PUBLIC)})")
        _need(
            isinstance(body, dict) and isinstance(body.get("controls"), dict),
            where,
            "needs a 'controls' mapping",
        )
        name = _PUBLIC[key]
        titles[name] = _text(body.get("name")) or name
        for cid, entry in body["controls"].items():
            at = f"{where}.controls.{cid}"
            _need(isinstance(entry, dict), at, "must be a mapping with title, status, note")
            status = entry.get("status")
            _need(status in STATUSES, at, f"status must be one of {', '.join(STATUSES)}")
            title, note = _text(entry.get("title")), _text(entry.get("note"))
            _need(bool(title), at, "needs a title")
            _need(status == "Covered" or bool(note), at, f"a {status} control needs a note")
            controls.append(Control(name, str(cid), title, str(status), note))
    features: list[Feature] = []
    raw_features = data.get("features") or {}
    _need(isinstance(raw_features, dict), source, "'features' must be a mapping")
    known = {(c.framework, c.id) for c in controls}
    for fid, entry in raw_features.items():
        at = f"{source}: features.{fid}"
        _need(isinstance(entry, dict), at, "must be a mapping with title, description, controls")
        description = _text(entry.get("description"))
        _need(bool(description), at, "needs a description")
        mapped: dict[str, tuple[str, ...]] = {}
        for key, ids in (entry.get("controls") or {}).items():
            _need(key in _PUBLIC, f"{at}.controls", f"unknown framework key {key!r}")
            _need(isinstance(ids, list), f"{at}.controls.{key}", "must be a list of ids")
            name = _PUBLIC[key]
            for cid in ids:
                _need(
                    (name, str(cid)) in known,
                    f"{at}.controls.{key}",
                    f"{cid!r} is not in the catalogue",
                )
            mapped[name] = tuple(str(c) for c in ids)
        _need(bool(mapped), at, "maps no control")
        features.append(
            Feature(
                str(fid),
                _text(entry.get("title")) or str(fid),
                description,
                MappingProxyType(mapped),
            )
        )
    return Catalogue(tuple(controls), tuple(features), MappingProxyType(titles))


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The catalogue at ``path`` (default: the shipped one, read once)."""
    if path is None:
        return _shipped()
    return _load(Path(path))


@cache
def _shipped() -> Catalogue:
    return _load(CATALOGUE_FILE)


def _load(path: Path) -> Catalogue:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read the control catalogue: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise CatalogueError(f"{path}{line}: invalid YAML: {exc}") from exc
    return parse_catalogue(data, str(path))
