"""The register's copies of the approved workbooks: one file per version under ``versions/``,
written once, made read-only, and checked against its sha256 whenever it is read."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from pathlib import Path

__all__ = ["VERSIONS_DIR", "place", "sha256_of", "stored_name"]

#: The folder of the approved workbooks inside the register.
VERSIONS_DIR = "versions"
_READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def stored_name(number: int, source: Path) -> str:
    """``versions/versiya_0002.xlsx``: the version's number and the source's extension."""
    return f"{VERSIONS_DIR}/versiya_{number:04d}{source.suffix.lower()}"


def place(source: Path, register: Path, name: str) -> str:
    """Copy *source* to *register*/*name* without ever replacing a file there: the copy is
    written beside it, flushed to disk, linked into place (which fails if the name is taken)
    and made read-only. Returns the sha256 of the copy."""
    target = register / name
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".incoming.", dir=target.parent)
    try:
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as out, open(source, "rb") as data:
            for block in iter(lambda: data.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, _READ_ONLY)
        os.link(temporary, target)  # FileExistsError rather than a replaced version
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return digest.hexdigest()
