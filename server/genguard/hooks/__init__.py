"""Git hooks: provenance that travels with every commit.

``genguard install-hooks`` puts a shim (``shim.sh``) in for each hook; it does in
``sh`` what needs no Python, else runs :mod:`.runner`, which dispatches to a module:
``pre-commit`` the gate (:mod:`.gate`), ``prepare-commit-msg`` the ``Assisted-by:``
trailers (:mod:`.trailers`; written by the shim), ``commit-msg`` in ``sh`` only (a
trailer alone never turns an aborted message into a commit), ``post-commit`` and
``post-merge`` the note (:mod:`.postcommit`), ``post-rewrite`` notes that follow
amend, rebase, squash and fixup (:mod:`.rewrite`). The logic never imports pygls and
talks to the real ``git`` binary.
"""

from __future__ import annotations

#: Hooks genguard installs, in the order git runs them for a commit, and the module
#: and function that run each (:mod:`.runner` imports only the module the hook needs),
#: called with the hook's context, git's arguments, its stdin (post-rewrite's list of
#: rewritten commits, else "") and the stream to report on; it returns the exit status.
HOOKS = {
    "pre-commit": ("genguard.hooks.gate", "run"),
    "prepare-commit-msg": ("genguard.hooks.trailers", "run"),
    "commit-msg": ("genguard.hooks.trailers", "guard"),
    "post-commit": ("genguard.hooks.postcommit", "run"),
    "post-merge": ("genguard.hooks.postcommit", "run_post_merge"),
    "post-rewrite": ("genguard.hooks.rewrite", "run"),
}
HOOK_NAMES: tuple[str, ...] = tuple(HOOKS)
