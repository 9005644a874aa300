"""Benchmark corpora, fetched once from the package registries (PyPI, npm, Debian) and unpacked locally.

Each corpus is real published source of one language:

* ``django``: the Django wheel from PyPI (Python);
* ``webpack``: webpack's ``lib/`` from the npm registry (JavaScript; TypeScript's own ``lib/`` is
  nine files, two of them bundles over the 2 MB file limit, so it would measure two files);
* ``docker``: Debian's ``golang-github-docker-docker-dev``, the Go source of the Docker engine,
  CLI and libnetwork as Debian ships it under ``/usr/share/gocode`` (Go).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE / ".corpora"
DOWNLOADS = CORPORA / "downloads"
DJANGO_VERSION = "5.2.8"
WEBPACK_VERSION = "5.112.2"
DOCKER_PACKAGE = "golang-github-docker-docker-dev"
DOCKER_VERSION = "20.10.24+dfsg1-1+deb12u1"


@dataclass(frozen=True)
class Corpus:
    name: str
    language: str  # a homeostasis language id, also the peers' rule folder name
    root: Path
    suffixes: tuple[str, ...]

    def files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*") if p.suffix in self.suffixes and p.is_file())

    def size(self) -> tuple[int, int]:
        """(files, lines) of the language's files."""
        files = self.files()
        lines = sum(p.read_bytes().count(b"\n") for p in files)
        return len(files), lines


def _semgrepignore() -> None:
    # Semgrep's default ignore list skips test folders; an empty one at the project root (passed
    # as --project-root) makes it scan every file, as the other tools do.
    marker = CORPORA / ".semgrepignore"
    if not marker.exists():
        CORPORA.mkdir(parents=True, exist_ok=True)
        marker.write_text("# empty: semgrep scans every file of a corpus, like the other tools\n")


def django() -> Corpus:
    """The Django package source (its wheel, unpacked)."""
    _semgrepignore()
    target = CORPORA / f"django-{DJANGO_VERSION}"
    if not (target / "django").is_dir():
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
        subprocess.run([*pip, "-d", str(DOWNLOADS), f"django=={DJANGO_VERSION}"], check=True)
        wheel = next(DOWNLOADS.glob(f"[Dd]jango-{DJANGO_VERSION}-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            _unpack(target, archive.extractall)
    return Corpus("django", "python", target / "django", (".py",))


def webpack() -> Corpus:
    """webpack's ``lib/`` folder, from its npm tarball."""
    _semgrepignore()
    target = CORPORA / f"webpack-{WEBPACK_VERSION}"
    if not (target / "package" / "lib").is_dir():
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["npm", "pack", "--silent", f"webpack@{WEBPACK_VERSION}"],
            cwd=DOWNLOADS,
            check=True,
            capture_output=True,
            text=True,
        )
        tarball = DOWNLOADS / done.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as archive:
            _unpack(target, lambda folder: archive.extractall(folder, filter="data"))
    return Corpus("webpack", "javascript", target / "package" / "lib", (".js", ".mjs", ".cjs"))


def docker() -> Corpus:
    """The Go sources of Debian's Docker development package (``apt-get download``, no install)."""
    _semgrepignore()
    target = CORPORA / f"docker-{DOCKER_VERSION}"
    source = target / "usr" / "share" / "gocode" / "src"
    if not source.is_dir():
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        deb = _apt_download(DOCKER_PACKAGE, DOCKER_VERSION)
        _unpack(target, lambda folder: subprocess.run(["dpkg-deb", "-x", str(deb), str(folder)], check=True))
    return Corpus("docker", "go", source, (".go",))


def _unpack(target: Path, unpack: Callable[[Path], object]) -> None:
    """Unpack into a side folder, renamed to ``target`` only once complete (an interrupted
    download never leaves half a corpus)."""
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    unpack(partial)
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)


def _apt_download(package: str, version: str) -> Path:
    existing = sorted(DOWNLOADS.glob(f"{package}_*.deb"))
    if existing:
        return existing[-1]
    for attempt in range(2):
        # The exact version first; the archive may have moved on, then whatever it has now.
        for spec in (f"{package}={version}", package):
            done = subprocess.run(
                ["apt-get", "download", spec], cwd=DOWNLOADS, capture_output=True, text=True
            )
            if done.returncode == 0:
                return sorted(DOWNLOADS.glob(f"{package}_*.deb"))[-1]
        if attempt == 0:
            subprocess.run(["apt-get", "update", "-qq"], check=False)
    raise SystemExit(f"apt-get download {package} failed: {done.stderr.strip()}")


def replicated(source: Corpus, factor: int) -> Corpus:
    """``factor`` copies of a corpus side by side, for the growth benchmark."""
    target = CORPORA / f"{source.name}-x{factor}"
    if not target.is_dir():
        for copy in range(factor):
            shutil.copytree(
                source.root, target / f"copy{copy}", ignore=shutil.ignore_patterns(".homeostasis")
            )
    return Corpus(f"{factor}x {source.name}", source.language, target, source.suffixes)


CORPUS_MAKERS = {"django": django, "webpack": webpack, "docker": docker}
