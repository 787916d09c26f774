"""Messages that ask for an optional part work from a source checkout too."""

from __future__ import annotations

from pathlib import Path

import pytest

from genguard.extras import install_hint

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "module",
    ["server/genguard/telemetry/otlp.py", "server/genguard/sbom/cyclonedx.py",
     "server/genguard/policy/rego.py"],
)  # fmt: skip
def test_every_extras_message_goes_through_the_hint(module: str):
    text = (ROOT / module).read_text()
    assert "install_hint(" in text and "pip install 'genguard[" not in text


def test_the_hint_names_the_package_and_the_checkout_command():
    hint = install_hint("sbom")
    assert "pip install 'genguard[sbom]'" in hint and "pip install -e '.[sbom]'" in hint


def test_readme_says_how_to_install_from_a_checkout_and_which_extras_evidence_needs():
    readme = (ROOT / "README.md").read_text()
    assert "not on a public package index yet" in readme
    evidence = readme[readme.index("## Audit evidence") :]
    evidence = evidence[: evidence.index("\n## ", 5)]
    for extra, command in (("sbom", "genguard sbom"), ("policy", "gate --policy"),
                           ("otel", "export otlp")):  # fmt: skip
        assert f"the `{extra}` extra" in evidence and command in evidence
