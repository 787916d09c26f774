import subprocess
from pathlib import Path


def make_thumbnail(source: Path, size: int = 256) -> Path:
    target = source.with_suffix(".thumb.jpg")
    subprocess.run(
        ["convert", str(source), "-resize", f"{size}x{size}", str(target)],
        check=True,
    )
    return target
