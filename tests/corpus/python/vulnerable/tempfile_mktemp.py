# expect: py-tempfile-mktemp
import csv
import tempfile


def export_rows(rows) -> str:
    path = tempfile.mktemp(suffix=".csv")
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerows(rows)
    return path
