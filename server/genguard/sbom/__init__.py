"""An SBOM of AI provenance: the repository's files, how much of each AI wrote, and
the AI tools and models as components (CycloneDX 1.6 JSON). No language server."""

from genguard.sbom.cyclonedx import SbomMissing, build_bom, to_json, validate_json
from genguard.sbom.provenance import FileProvenance, RepoProvenance, collect, tracked_files

__all__ = [
    "FileProvenance",
    "RepoProvenance",
    "SbomMissing",
    "build_bom",
    "collect",
    "to_json",
    "tracked_files",
    "validate_json",
]
