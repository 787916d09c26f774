"""Reading provenance back: per-line blame, range statistics, verification, interop.

Everything here reads commit notes (``refs/notes/genguard``), the ledger and git
itself; nothing here imports the language server.
"""
