"""Compliance crosswalk: genguard's rules and features against SOC 2, NIST AI RMF
and ISO/IEC 42001 controls, with an honest Covered / Partial / Gap per control.

Pure logic (no language server): ``crosswalk(ruleset, framework=None)`` returns a
list of :class:`ControlEntry` whose ``to_dict()`` is the stable JSON shape::

    {"framework": "soc2", "id": "CC8.1", "title": "...", "status": "Partial",
     "evidence": [{"kind": "feature", "id": "notes", "description": "..."},
                  {"kind": "rule", "id": "py-eval-exec", "description": "..."}],
     "note": "..."}
"""

from genguard.controls.catalogue import (
    CATALOGUE_FILE,
    FRAMEWORKS,
    STATUSES,
    Catalogue,
    CatalogueError,
    Control,
    Feature,
    framework_name,
    load_catalogue,
    parse_catalogue,
)
from genguard.controls.crosswalk import ControlEntry, Evidence, crosswalk, summary

__all__ = [
    "CATALOGUE_FILE",
    "FRAMEWORKS",
    "STATUSES",
    "Catalogue",
    "CatalogueError",
    "Control",
    "ControlEntry",
    "Evidence",
    "Feature",
    "crosswalk",
    "framework_name",
    "load_catalogue",
    "parse_catalogue",
    "summary",
]
