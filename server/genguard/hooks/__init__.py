"""Git hooks: provenance that travels with every commit.

``genguard install-hooks`` puts small shell shims into the repository's hooks
directory; each execs :mod:`genguard.hooks.runner`, which dispatches to one module
per hook:

- ``pre-commit`` (:mod:`.gate`): match staged lines to AI chunks from the ledger,
  check the AI lines against the workspace rules, block on open error findings;
- ``prepare-commit-msg`` (:mod:`.trailers`): ``Assisted-by:`` trailers;
- ``commit-msg``: a shell-only guard so a trailer alone never turns an aborted
  (empty) message into a commit;
- ``post-commit`` / ``post-merge`` (:mod:`.postcommit`): the commit note, bypass
  detection;
- ``post-rewrite`` (:mod:`.rewrite`): notes follow amend, rebase, squash and fixup.

The logic never imports pygls and talks to the real ``git`` binary.
"""

from __future__ import annotations

#: Hooks genguard installs, in the order git runs them for a commit.
HOOK_NAMES: tuple[str, ...] = (
    "pre-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "post-merge",
    "post-rewrite",
)
