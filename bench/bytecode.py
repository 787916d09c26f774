"""Run the genguard under test from bytecode, as an installed copy runs.

``pip install`` compiles a package's modules to bytecode; a source checkout whose
environment sets ``PYTHONDONTWRITEBYTECODE`` (or whose tree is read-only) never
gets any, and every ``genguard`` process then compiles its ~100 modules from source
before it does anything (measured here: about 0.15-0.2 s of CPU per process).
A bench that timed that would charge genguard for a cost its users do not pay and
the parse-only floor (stdlib and tree-sitter, both shipped as bytecode) does not
pay either, so the benches compile genguard once before they time it.
"""

from __future__ import annotations

import compileall
from pathlib import Path


def compile_genguard() -> str:
    """Write bytecode for the imported genguard package (as ``pip install`` does);
    a line for the bench's report."""
    import genguard

    package = Path(genguard.__file__).resolve().parent
    ok = compileall.compile_dir(str(package), quiet=1)
    state = "compiled to bytecode" if ok else "NOT fully compiled to bytecode"
    return f"genguard under test: {package} ({state}, as an installed copy)"
