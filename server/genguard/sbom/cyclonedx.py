"""A CycloneDX 1.6 SBOM of a revision: files with their AI provenance, and the AI
tools and models that wrote them.

Built with cyclonedx-python-lib so the document follows the specification the
library validates against. Files are ``file`` components (SHA-256 of the content,
properties under ``genguard:``); each AI tool is an ``application`` component and
each model a ``machine-learning-model`` component, so supply-chain tooling that
reads SBOMs can answer "which AI wrote this codebase" without knowing genguard.
"""

from __future__ import annotations

from typing import Any

from genguard.extras import install_hint
from genguard.sbom.provenance import FileProvenance, RepoProvenance

PROPERTY_PREFIX = "genguard:"


class SbomMissing(RuntimeError):
    """cyclonedx-python-lib is not installed."""


def _lib() -> Any:
    try:
        import cyclonedx.model as model
        from cyclonedx.model.bom import Bom
        from cyclonedx.model.component import Component, ComponentType
        from cyclonedx.output.json import JsonV1Dot6
    except ImportError as exc:
        raise SbomMissing(
            f"the SBOM needs cyclonedx-python-lib: {install_hint('sbom')}"
        ) from exc
    return model, Bom, Component, ComponentType, JsonV1Dot6


def _properties(model: Any, pairs: list[tuple[str, Any]]) -> list[Any]:
    return [
        model.Property(name=f"{PROPERTY_PREFIX}{k}", value=str(v))
        for k, v in pairs
        if v is not None and v != ""
    ]


def _text(path: str) -> str:
    """A path git gave as bytes that are not UTF-8, made printable (JSON needs UTF-8)."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _file_pairs(f: FileProvenance) -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = [
        ("lines", f.lines),
        ("ai:lines", f.ai_lines),
        ("ai:share", f"{f.ai_share:.4f}"),
        ("ai:reviewed_lines", f.reviewed_ai_lines),
        ("provenance:unknown_lines", f.unknown_lines),
    ]
    if f.binary:
        pairs.append(("binary", "true"))
    if f.by_tool:
        pairs.append(("ai:tools", ",".join(sorted(f.by_tool))))
        pairs += [(f"ai:tool:{t}:lines", n) for t, n in sorted(f.by_tool.items())]
    if f.by_model:
        pairs.append(("ai:models", ",".join(sorted(f.by_model))))
    return pairs


def build_bom(prov: RepoProvenance, *, genguard_version: str) -> Any:
    """The ``cyclonedx.model.bom.Bom`` for ``prov``."""
    model, Bom, Component, ComponentType, _ = _lib()
    bom = Bom()
    total = sum(f.lines for f in prov.files)
    ai = sum(f.ai_lines for f in prov.files)
    root = Component(
        type=ComponentType.APPLICATION,
        name=prov.root.name,
        version=prov.revision,
        bom_ref=f"repository:{prov.root.name}",
        properties=_properties(
            model,
            [
                ("revision", prov.revision),
                ("lines", total),
                ("ai:lines", ai),
                ("ai:share", f"{(ai / total if total else 0.0):.4f}"),
                ("provenance:unknown_lines", sum(f.unknown_lines for f in prov.files)),
            ],
        ),
    )
    bom.metadata.component = root
    bom.metadata.tools.components.add(
        Component(type=ComponentType.APPLICATION, name="genguard", version=genguard_version)
    )
    files = []
    for f in prov.files:
        name = _text(f.path)
        component = Component(
            type=ComponentType.FILE,
            name=name,
            bom_ref=f"file:{name}",
            hashes=[model.HashType(alg=model.HashAlgorithm.SHA_256, content=f.sha256)],
            properties=_properties(model, _file_pairs(f)),
        )
        files.append(component)
        bom.components.add(component)
    for tool, lines in prov.tools.items():
        bom.components.add(
            Component(
                type=ComponentType.APPLICATION,
                name=tool,
                bom_ref=f"ai-tool:{tool}",
                description="AI coding tool that wrote code in this repository",
                properties=_properties(
                    model,
                    [
                        ("ai:lines", lines),
                        ("ai:files", sum(1 for f in prov.files if tool in f.by_tool)),
                    ],
                ),
            )
        )
    model_tools = prov.model_tools()
    for name, lines in prov.models.items():
        bom.components.add(
            Component(
                type=ComponentType.MACHINE_LEARNING_MODEL,
                name=name,
                bom_ref=f"ai-model:{name}",
                description="AI model that wrote code in this repository",
                properties=_properties(
                    model,
                    [
                        ("ai:lines", lines),
                        ("ai:files", sum(1 for f in prov.files if name in f.by_model)),
                        ("ai:tools", ",".join(sorted(model_tools.get(name, ())))),
                    ],
                ),
            )
        )
    bom.register_dependency(root, files)
    return bom


def to_json(bom: Any) -> str:
    """CycloneDX 1.6 JSON text."""
    *_, JsonV1Dot6 = _lib()
    return JsonV1Dot6(bom).output_as_string(indent=2) + "\n"


def validate_json(text: str) -> str | None:
    """None when ``text`` is valid CycloneDX 1.6 JSON, else the first schema error."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    return None if error is None else str(error)
