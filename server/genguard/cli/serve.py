"""``genguard serve``: the language server over stdio."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the language server (stdio)")
    p.add_argument("--stdio", action="store_true", help="accepted for editor compatibility")
    p.add_argument("--log-file", type=Path, help="write a debug log here")
    p.add_argument("--cache-dir", type=Path, help="result cache directory")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    level = logging.WARNING
    if args.log_file:
        handlers = [logging.FileHandler(args.log_file)]
        level = logging.DEBUG
    logging.basicConfig(level=level, handlers=handlers, format="%(asctime)s %(name)s %(message)s")
    from genguard.lsp.server import serve

    serve(cache_dir=args.cache_dir)
    return 0
