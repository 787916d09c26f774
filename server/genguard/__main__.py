"""Allow ``python -m genguard``."""

from genguard.cli.main import main

raise SystemExit(main())
