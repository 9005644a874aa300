"""Benchmark corpora, fetched from the package registries once and unpacked locally."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE / ".corpora"
DJANGO_VERSION = "5.2.8"


def django() -> Path:
    """The Django package source (its wheel, unpacked)."""
    target = CORPORA / f"django-{DJANGO_VERSION}"
    if (target / "django").is_dir():
        return target / "django"
    download = CORPORA / "downloads"
    download.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
            str(download),
            f"django=={DJANGO_VERSION}",
        ],
        check=True,
    )
    wheel = next(download.glob(f"[Dd]jango-{DJANGO_VERSION}-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target / "django"


def replicated(source: Path, factor: int) -> Path:
    """``factor`` copies of a corpus side by side, for the growth benchmark."""
    import shutil

    target = CORPORA / f"{source.name}-x{factor}"
    if not target.is_dir():
        for copy in range(factor):
            shutil.copytree(source, target / f"copy{copy}")
    return target
