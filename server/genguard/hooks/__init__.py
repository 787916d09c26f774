"""Git hooks: provenance that travels with every commit.

``genguard install-hooks`` puts a shim (``shim.sh``) in for each hook; it does in
``sh`` what needs no Python, else runs :mod:`.runner`, which dispatches to a module:

- ``pre-commit`` (:mod:`.gate`): match staged lines to AI chunks from the ledger,
  check the AI lines against the workspace rules, block on open error findings;
- ``prepare-commit-msg`` (:mod:`.trailers`): ``Assisted-by:`` trailers, which the shim
  writes (for a plain commit, the values the gate left, without Python);
- ``commit-msg``: in ``sh`` only, so a trailer alone never turns an aborted (empty)
  message into a commit;
- ``post-commit`` / ``post-merge`` (:mod:`.postcommit`): the commit note, bypass
  detection;
- ``post-rewrite`` (:mod:`.rewrite`): notes follow amend, rebase, squash and fixup.

The logic never imports pygls and talks to the real ``git`` binary.
"""

from __future__ import annotations

#: Hooks genguard installs, in the order git runs them for a commit.
HOOK_NAMES: tuple[str, ...] = tuple(
    ["pre-commit", "prepare-commit-msg", "commit-msg", "post-commit", "post-merge", "post-rewrite"]
)
