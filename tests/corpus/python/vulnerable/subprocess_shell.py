# expect: py-subprocess-shell
import subprocess
from pathlib import Path


def make_thumbnail(source: Path, size: int = 256) -> Path:
    """Create a thumbnail next to the uploaded image."""
    target = source.with_suffix(".thumb.jpg")
    subprocess.run(
        f"convert {source} -resize {size}x{size} {target}",
        shell=True,
        check=True,
    )
    return target
