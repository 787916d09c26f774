"""Agent checkpoints: attribution for code that coding agents write to disk.

An agent does not type into the editor, so the language server never sees its
edits. Agents that run hooks (Claude Code, Cursor, GitHub Copilot) call
``genguard record --from <agent>`` after each file edit; :mod:`.adapters` reads
their hook JSON, :mod:`.record` attributes what changed since the file's last
known state and writes the same ``chunk.created`` records the editor writes, so
agent code reaches the commit gate, the trailers and the notes the same way.
"""
