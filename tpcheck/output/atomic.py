"""Writing outputs safely: atomically (a temporary file in the same folder, moved into place), and
never over an input."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from ..errors import OutputError

__all__ = [
    "atomic_path",
    "atomic_paths",
    "ensure_not_input",
    "locked_output",
    "output_paths",
    "prepare_dir",
    "refuse_inputs",
]

Key = TypeVar("Key")


def _temporary(target: Path) -> Path:
    """A new empty temporary file beside *target*: ``.<name>.<random>.part``."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(key="errors.no_output_folder", values={"folder": folder})
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    os.close(handle)
    return Path(name)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside *path*; when the block ends without an exception, move it
    onto *path* in one step, else delete it. A reader of *path* never sees half a file."""
    with atomic_paths({0: path}) as temporary:
        yield temporary[0]


@contextlib.contextmanager
def atomic_paths(
    paths: Mapping[Key, str | Path], *, last: Key | None = None, remove: Sequence[Path] = ()
) -> Iterator[dict[Key, Path]]:
    """:func:`atomic_path` for several files written together: a temporary path for each; when
    the block ends without an exception all are moved into place, otherwise none is (and the
    temporary files are deleted).

    *last* names the run's record (report.json, publication.json): its file of an earlier run
    is deleted before any file is moved and the new one is moved last, so a record in the
    folder always sits beside the files of its own run — a run killed while moving leaves
    no record rather than one of another run. *remove*: files of an earlier run this one
    replaces by nothing (stale return copies), deleted after the others are moved, before
    the record."""
    temporary: dict[Key, Path] = {}
    try:
        for key, path in paths.items():
            temporary[key] = _temporary(Path(path))
        yield dict(temporary)
        mode = 0o666 & ~_umask()
        if last is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(paths[last])
        for key in paths:
            if key != last:
                os.chmod(temporary[key], mode)
                os.replace(temporary[key], paths[key])
        for path in remove:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        if last in paths:
            os.chmod(temporary[last], mode)
            os.replace(temporary[last], paths[last])
    except BaseException:
        for path in temporary.values():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop, Python 3.11
        return False


def _inside(target: Path, folder: Path) -> bool:
    """True when *target* (existing or not) lies below the folder *folder*."""
    try:
        return folder.is_dir() and target.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop, Python 3.11
        return False


def ensure_not_input(output: str | Path, inputs: Iterable[str | Path]) -> None:
    """Raise :class:`OutputError` when *output* is one of *inputs* (or the same file or folder),
    or lies inside an input folder: results written there would be read as submissions the
    next time that folder is merged."""
    target = Path(output)
    for source in inputs:
        if _same(target, Path(source)):
            key = "output_is_input_folder" if Path(source).is_dir() else "output_is_input_file"
            raise OutputError(key=f"errors.{key}", values={"output": output})
        if _inside(target, Path(source)):
            raise OutputError(
                key="errors.output_inside_input", values={"output": output, "folder": source}
            )


def prepare_dir(path: str | Path) -> Path:
    """Create the output folder *path* (and its parents) and return it; an existing file there or
    a folder that cannot be created raises :class:`OutputError`."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise OutputError(key="errors.output_is_file", values={"folder": folder})
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            key="errors.cannot_create", values={"folder": folder, "reason": exc.strerror}
        ) from None
    if not os.access(folder, os.W_OK):
        raise OutputError(key="errors.not_writable", values={"folder": folder})
    return folder


def output_paths(
    out_dir: str | Path, names: Mapping[Key, str], inputs: Iterable[str | Path]
) -> dict[Key, Path]:
    """The paths of the files *names* (role → file name) in the output folder *out_dir*: the
    folder is checked not to be one of *inputs* and created (:func:`prepare_dir`), and each path
    is checked not to be an input (:func:`ensure_not_input`)."""
    inputs = tuple(inputs)
    ensure_not_input(out_dir, inputs)
    folder = prepare_dir(out_dir)
    paths = {role: folder / name for role, name in names.items()}
    refuse_inputs(list(paths.values()), inputs)
    return paths


def refuse_inputs(targets: Sequence[Path], inputs: Sequence[str | Path]) -> None:
    """:func:`ensure_not_input` for many targets and inputs at once: the inputs' real paths
    and file identities are looked up once."""
    names: dict[Path, str | Path] = {}
    identities: dict[tuple[int, int], str | Path] = {}
    for source in inputs:
        path = Path(source)
        # a link to itself: RuntimeError from resolve() on Python 3.11, OSError on later ones
        with contextlib.suppress(OSError, RuntimeError):
            names[path.resolve()] = source
            status = path.stat()
            identities[status.st_dev, status.st_ino] = source
    for target in targets:
        try:
            found = names.get(target.resolve())
        except (OSError, RuntimeError):
            found = None
        if found is None:
            with contextlib.suppress(OSError):
                status = target.stat()
                found = identities.get((status.st_dev, status.st_ino))
        if found is not None:
            ensure_not_input(target, [found])


#: The lock file of an output folder while a run writes into it.
LOCK_NAME = ".tpcheck.lock"
#: The temporary files :func:`atomic_path` makes: ``.<name>.<random>.part``.
_PART = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.part$")

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def _lock(folder: Path) -> int | None:
    """An open descriptor holding the exclusive lock of *folder*, or None when another run
    holds it. The lock file is created when missing; a lock file that another run removed
    while this one waited for it is not taken (its inode is no longer the folder's)."""
    path = folder / LOCK_NAME
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            return None
        try:
            same = os.stat(path).st_ino == os.fstat(descriptor).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return descriptor
        os.close(descriptor)


def remove_stale_parts(*folders: Path) -> list[Path]:
    """Delete the temporary files an earlier run killed in the middle of a write left in
    *folders* (call it only while holding the folder's lock: no run writes them now)."""
    removed: list[Path] = []
    for folder in folders:
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder):
                if _PART.match(entry.name) and entry.is_file(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                        removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def locked_output(folder: str | Path, *more: str | Path) -> Iterator[Path]:
    """Hold the output folder *folder* for one run: a second run into the same folder at the
    same time gets :class:`OutputError` (exit code 2) instead of mixing its files with this
    one's. While held, the ``.part`` files earlier runs left behind in *folder* and in the
    folders *more* are deleted. The lock file is removed when the run ends."""
    target = Path(folder)
    if fcntl is None:  # pragma: no cover - Windows: no advisory locks here
        remove_stale_parts(target, *map(Path, more))
        yield target
        return
    try:
        descriptor = _lock(target)
    except OSError as exc:
        raise OutputError(f"Не удалось занять папку «{target}»: {exc.strerror}") from None
    if descriptor is None:
        raise OutputError(
            f"В папку «{target}» сейчас пишет другой запуск tpcheck. Дождитесь его окончания "
            "или укажите другую папку."
        )
    try:
        remove_stale_parts(target, *map(Path, more))
        yield target
    finally:
        with contextlib.suppress(OSError):
            os.unlink(target / LOCK_NAME)
        os.close(descriptor)
