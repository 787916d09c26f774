"""The corpus holds example programs to scan, never tests to import or run."""

collect_ignore = ["corpus"]
