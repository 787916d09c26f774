"""``python -m genguard.hooks HOOK [ARGS...]``: what the hook shims exec.

It skips the full command line (whose subcommands import the language server),
because interpreter start-up is most of what a hook costs.
"""

from genguard.hooks.runner import main

raise SystemExit(main())
