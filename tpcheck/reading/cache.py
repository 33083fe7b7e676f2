"""The merge cache (``tpcheck merge --cache DIR``): what reading and the per-file checks made of
each input file, and its return copy, kept between runs so that a re-merge reads, checks and
writes again only the files that changed.

An entry is keyed by the file's sha256, its path as reported, and everything else the result
depends on — the cache format, tpcheck's version, the classifiers' digest, the language, the
reader's limits. It is plain data (JSON; the return copy as the bytes of the workbook), never
pickle: a cache folder someone else can write to must not be able to run code here. Each entry is
sealed with an HMAC-SHA256 under a key kept in the cache folder (``key``, created with 0600
permissions); an entry whose seal, format or content does not hold is ignored with the notice
``cache-entry-ignored`` and the file is read again — a cache entry is never trusted on its word.

The cached values cover what the reader gives: text, numbers, booleans, dates and times, lists
of them. A result holding anything else is simply not cached.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import stat
import sys
import tempfile
from array import array
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path
from typing import Any

from ..findings import FileInfo, Issue, issue
from ..version import __version__
from .columns import EncodedColumn
from .sheet import SheetRows
from .worker import FileResult

__all__ = ["FORMAT", "MergeCache", "decode_result", "encode_result"]

#: The layout of the entries; entries of another format are foreign.
FORMAT = "tpcheck-cache-1"
_KEY_FILE = "key"
_SUFFIX = ".entry"
_RETURN_SUFFIX = ".return"


class _Uncacheable(Exception):
    """A value the entries cannot hold as data: the result is not cached."""


class _Broken(Exception):
    """An entry that does not open: its reason, for the notice."""


# ------------------------------------------------------------------------------ values


_TIMES = {
    "datetime": (dt.datetime, dt.datetime.fromisoformat),
    "date": (dt.date, dt.date.fromisoformat),
    "time": (dt.time, dt.time.fromisoformat),
}


def _value(value: Any) -> Any:
    """A cell value as JSON data; a type JSON has no word for becomes ``{"$": type, "v": …}``."""
    kind = type(value)
    if value is None or kind in (str, bool, int, float):
        return value
    if kind is list:
        return [_value(item) for item in value]
    for name, (cls, _) in _TIMES.items():
        if kind is cls:
            return {"$": name, "v": value.isoformat()}
    if kind is dt.timedelta:
        return {"$": "timedelta", "v": [value.days, value.seconds, value.microseconds]}
    raise _Uncacheable(kind.__name__)


def _unvalue(data: Any) -> Any:
    if isinstance(data, list):
        return [_unvalue(item) for item in data]
    if isinstance(data, dict):
        name, raw = data["$"], data["v"]
        if name == "timedelta":
            return dt.timedelta(days=raw[0], seconds=raw[1], microseconds=raw[2])
        return _TIMES[name][1](raw)
    return data


def _values(values: Iterable[Any]) -> list[Any]:
    plain = (str, bool, int, float, type(None))
    values = list(values)
    if all(type(v) in plain for v in values):
        return values
    return [_value(v) for v in values]


def _unvalues(data: list[Any]) -> list[Any]:
    if any(isinstance(v, list | dict) for v in data):
        return [_unvalue(v) for v in data]
    return data


# ------------------------------------------------------------------------------ records


def _layout(columns: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {key: (int(place[0]), str(place[1])) for key, place in columns.items()}


def encode_issues(issues: Iterable[Issue]) -> list[list[Any]]:
    """Issues as rows of their fields (in :class:`Issue`'s order)."""
    names = [f.name for f in fields(Issue)]
    return [[getattr(item, name) for name in names] for item in issues]


def decode_issues(rows: list[list[Any]]) -> list[Issue]:
    names = [f.name for f in fields(Issue)]
    issues = []
    for row in rows:
        if len(row) != len(names):
            raise _Broken("issue fields")
        issues.append(Issue(**dict(zip(names, row, strict=True))))
    return issues


def _encode_info(info: FileInfo) -> dict[str, Any]:
    return info.to_dict()


def _decode_info(data: dict[str, Any]) -> FileInfo:
    info = FileInfo(**data)
    info.columns = _layout(info.columns)
    info.requirement_columns = _layout(info.requirement_columns)
    info.sheet_columns = {name: _layout(cols) for name, cols in info.sheet_columns.items()}
    return info


def _encode_rows(rows: SheetRows | None) -> dict[str, Any] | None:
    if rows is None:
        return None
    if any(len(v) for v in rows.values.values()):
        raise _Uncacheable("values")  # the reader encodes and lets go of them: not expected
    encoded = {}
    for name, column in rows.encoded.items():
        codes = column.codes
        kind = next(k for k in "BHI" if not codes or max(codes) < 1 << (8 * array(k).itemsize))
        normalised = column.normalised
        same = normalised is column.values or normalised == column.values
        encoded[name] = {
            "codes": base64.b64encode(array(kind, codes).tobytes()).decode("ascii"),
            "type": kind,
            "values": _values(column.values),
            # a free-text column is mostly its own normalised form: kept once
            "normalised": "same" if same else None if normalised is None else _values(normalised),
        }
    return {
        "sheet": rows.sheet,
        "header_row": rows.header_row,
        "columns": rows.columns,
        "extra_columns": rows.extra_columns,
        "source_rows": rows.source_rows,
        "issues": encode_issues(rows.issues),
        "missing": rows.missing,
        "encoded": encoded,
    }


def _decode_rows(data: dict[str, Any] | None) -> SheetRows | None:
    if data is None:
        return None
    encoded = {}
    for name, column in data["encoded"].items():
        if column["type"] not in ("B", "H", "I"):
            raise _Broken("codes")
        codes = array("I", array(column["type"], base64.b64decode(column["codes"])))
        values = _unvalues(column["values"])
        normalised = column["normalised"]
        if codes and max(codes) >= len(values):
            raise _Broken("codes")
        if normalised == "same":
            normalised = values
        elif normalised is not None:
            normalised = _unvalues(normalised)
            if len(normalised) != len(values):
                raise _Broken("normalised")
        encoded[name] = EncodedColumn(codes, values, normalised)
    rows = SheetRows(
        sheet=data["sheet"],
        header_row=data["header_row"],
        columns=_layout(data["columns"]),
        extra_columns=list(data["extra_columns"]),
        source_rows=[int(r) for r in data["source_rows"]],
        issues=decode_issues(data["issues"]),
        missing=list(data["missing"]),
    )
    rows.encoded = encoded
    return rows


def encode_result(result: FileResult) -> dict[str, Any]:
    """A read file's result as JSON data (:class:`_Uncacheable` when it cannot be)."""
    return {
        "info": _encode_info(result.info),
        "issues": encode_issues(result.issues),
        "data": _encode_rows(result.data),
        "requirements": _encode_rows(result.requirements),
        "more": [_encode_rows(rows) for rows in result.more],
    }


def decode_result(data: dict[str, Any], stat_now: tuple[int, int]) -> FileResult:
    """The :class:`FileResult` of :func:`encode_result`'s data; *stat_now* the file's
    ``(size, mtime_ns)`` as just seen (the reader checks it has not changed since)."""
    return FileResult(
        info=_decode_info(data["info"]),
        issues=decode_issues(data["issues"]),
        data=_decode_rows(data["data"]),
        requirements=_decode_rows(data["requirements"]),
        more=[r for r in map(_decode_rows, data["more"]) if r is not None],
        stat=stat_now,
    )


# ------------------------------------------------------------------------------ the store


def _hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class MergeCache:
    """The cache folder of one run. :meth:`lookup` gives the cached reading and checks of a file
    (or None), :meth:`remember` keeps a new file's reading for :meth:`store`, which writes the
    entries with the per-file checks once validated; :meth:`return_copy` and
    :meth:`keep_return_copy` do the same for return copies. ``notices`` holds the
    ``cache-entry-ignored`` findings of the run; ``reads`` counts the files read afresh."""

    def __init__(self, folder: str | os.PathLike[str], *, digest: str, lang: str, limits: Any):
        self.folder = Path(folder)
        self.lang = lang
        self.context = "|".join(
            (FORMAT, __version__, digest, lang, repr(limits), sys.byteorder, str(sys.maxsize))
        )
        self.notices: list[Issue] = []
        self.reads = 0
        self._key: bytes | None = None
        self._fresh: dict[str, tuple[str, dict[str, Any]]] = {}  # path → (sha256, reading)
        self._known: dict[str, tuple[str, dict[str, Any]]] = {}  # path → (sha256, checks …)
        self._used: set[str] = set()
        self._checks: dict[str, list[Issue]] | None = None

    # -- the key and the seal

    def _secret(self, create: bool = True) -> bytes | None:
        """The key; a missing one, or one others may read or write, is made anew when
        *create* (when writing, while the output folder is held), else there is none."""
        if self._key is None:
            path = self.folder / _KEY_FILE
            there = True
            try:
                descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            except FileNotFoundError:
                descriptor, there = -1, False
            except OSError:  # a symbolic link, a folder…: not a key of ours
                descriptor = -1
            key = b""
            if descriptor >= 0:
                with os.fdopen(descriptor, "rb") as handle:
                    status = os.fstat(handle.fileno())
                    mine = not hasattr(os, "getuid") or status.st_uid == os.getuid()
                    private = not status.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
                    key = handle.read(64) if mine and private else b""
            if len(key) != 64 and not create:
                return None
            if len(key) != 64:
                # missing, or readable/writable by others: a new key (every entry sealed with
                # the old one is then ignored)
                key = secrets.token_hex(32).encode("ascii")
                self.folder.mkdir(parents=True, exist_ok=True)
                self._write(path, key, replace=there)
                key = path.read_bytes()[:64]  # another run may have made it first
            self._key = key
        return self._key

    def _seal(self, meta: dict[str, Any], blob: bytes = b"") -> bytes:
        body = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        body += b"\n" + blob
        secret = self._secret()
        assert secret is not None
        mac = hmac.new(secret, body, hashlib.sha256).hexdigest().encode("ascii")
        return mac + b"\n" + body

    def _open(self, data: bytes, expect: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        mac, _, body = data.partition(b"\n")
        secret = self._secret(create=False)
        if secret is None:
            raise _Broken("key")
        good = hmac.new(secret, body, hashlib.sha256).hexdigest().encode("ascii")
        if not hmac.compare_digest(mac, good):
            raise _Broken("seal")
        head, _, blob = body.partition(b"\n")
        try:
            meta = json.loads(head)
        except ValueError:
            raise _Broken("json") from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise _Broken("format")
        for key, value in expect.items():
            if meta.get(key) != value:
                raise _Broken(key)
        return meta, blob

    def _write(self, path: Path, data: bytes, replace: bool = True) -> None:
        """Write *path* whole or not at all, readable by this user only; with *replace* False,
        leave a file already there as it is."""
        descriptor, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.chmod(temp, 0o600)
            if replace:
                os.replace(temp, path)
            else:
                with contextlib.suppress(FileExistsError):
                    os.link(temp, path)
                os.unlink(temp)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def _name(self, sha256: str, path: str) -> str:
        return _hex(f"{self.context}|{sha256}|{path}".encode("utf-8", "surrogatepass"))

    def _ignored(self, path: str, reason: str) -> None:
        self.notices.append(
            issue(
                "cache-entry-ignored",
                lang=self.lang,
                input=path,
                cache=str(self.folder),
                reason=reason,
            )
        )

    def _load(self, name: str, suffix: str, path: str, expect: dict[str, Any]):
        if not (self.folder / _KEY_FILE).exists():
            return None  # an empty cache (created on the first write, never on a look)
        target = self.folder / (name + suffix)
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._ignored(path, exc.strerror or "OSError")
            return None
        try:
            return self._open(data, {"format": FORMAT, **expect})
        except (_Broken, KeyError, TypeError, ValueError) as exc:
            self._ignored(path, str(exc) or type(exc).__name__)
            return None

    # -- reading and the per-file checks

    def lookup(self, path: str, sha256: str, stat_now: tuple[int, int]) -> FileResult | None:
        """The cached result of reading the file *path* of content *sha256*, or None."""
        name = self._name(sha256, path)
        opened = self._load(name, _SUFFIX, path, {"path": path, "sha256": sha256})
        if opened is None:
            return None
        meta, _ = opened
        try:
            result = decode_result(meta["reading"], stat_now)
            checks = decode_issues(meta["checks"])
        except (_Broken, KeyError, TypeError, ValueError, IndexError) as exc:
            self._ignored(path, str(exc) or type(exc).__name__)
            return None
        if result.info.path != path or result.info.sha256 != sha256:
            self._ignored(path, "path")
            return None
        self._known[path] = (sha256, {"checks": checks})
        self._used.add(name)
        return result

    def remember(self, path: str, result: FileResult) -> None:
        """Keep the fresh result of reading *path* for :meth:`store` (only files read whole)."""
        self.reads += 1
        if result.info.status != "ok" or not result.info.sha256:
            return
        try:
            encoded = encode_result(result)
        except _Uncacheable:
            return
        self._fresh[path] = (result.info.sha256, encoded)

    def checked(self) -> dict[str, list[Issue]]:
        """The per-file checks' findings of the files found in the cache, by path."""
        return {path: known["checks"] for path, (_, known) in self._known.items()}

    def store(self, checks: dict[str, list[Issue]]) -> None:
        """Keep the per-file *checks* of the files read afresh this run, for :meth:`flush`."""
        self._checks = dict(checks)

    def flush(self) -> None:
        """Write an entry for each file read afresh this run, with its per-file checks given to
        :meth:`store` (nothing when they were not given). Called by the writers while they hold
        the output folder: a run that may not write there leaves no cache either."""
        checks = self._checks
        if checks is None:
            self._fresh.clear()
            return
        for path, (sha256, reading) in self._fresh.items():
            name = self._name(sha256, path)
            meta = {
                "format": FORMAT,
                "path": path,
                "sha256": sha256,
                "reading": reading,
                "checks": encode_issues(checks.get(path, [])),
            }
            try:
                self._write(self.folder / (name + _SUFFIX), self._seal(meta))
            except (OSError, ValueError):
                continue  # a cache that cannot be written is only slower next time
            self._used.add(name)
        self._fresh.clear()
        self._checks = None

    # -- return copies

    def _return_name(self, path: str, sha256: str | None) -> str | None:
        return None if not sha256 else self._name(sha256, path)

    def return_copy(self, path: str, sha256: str | None, digest: str) -> bytes | None:
        """The cached return copy of *path* made from the same findings (*digest*), or None.
        (A damaged one is written again; its notice comes too late for the report.)"""
        name = self._return_name(path, sha256)
        if name is None:
            return None
        opened = self._load(name, _RETURN_SUFFIX, path, {"path": path})
        if opened is None or opened[0].get("digest") != digest:
            return None  # the findings on the file changed: its copy is made again
        self._used.add(name)
        return opened[1]

    def keep_return_copy(self, path: str, sha256: str | None, digest: str, data: bytes) -> None:
        name = self._return_name(path, sha256)
        if name is None:
            return
        meta = {"format": FORMAT, "path": path, "digest": digest}
        with contextlib.suppress(OSError):
            self._write(self.folder / (name + _RETURN_SUFFIX), self._seal(meta, data))
            self._used.add(name)

    def prune(self) -> None:
        """Remove the entries no file of this run used (removed or changed files)."""
        if not self.folder.is_dir():
            return
        for entry in self.folder.iterdir():
            stem, suffix = entry.stem, entry.suffix
            stale = entry.name.startswith(".tmp-") and entry.name.endswith(".part")
            if stale or (suffix in (_SUFFIX, _RETURN_SUFFIX) and stem not in self._used):
                with contextlib.suppress(OSError):
                    entry.unlink()


def file_sha256(path: str, limit: int) -> tuple[str, tuple[int, int]] | None:
    """``(sha256, (size, mtime_ns))`` of the regular file *path* of at most *limit* bytes, or
    None (not a regular file, too large, not readable: the reader reports those)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode) or before.st_size > limit:
            return None
        descriptor = os.open(path, flags)  # never blocks, even on a file swapped for a pipe
        with os.fdopen(descriptor, "rb", closefd=True) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            if hasattr(os, "set_blocking"):
                os.set_blocking(handle.fileno(), True)
            digest = hashlib.sha256()
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest(), (before.st_size, before.st_mtime_ns)
