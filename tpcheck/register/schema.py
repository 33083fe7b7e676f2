"""The register's database: one SQLite file, its schema and the migrations that build it.

The schema is versioned: ``schema_version`` holds one row per migration applied (its number and
when). :data:`MIGRATIONS` are ordered SQL steps; opening a register applies the steps it lacks,
each in one transaction, so a register made by an older tpcheck opens with a newer one, and a
register made by a newer tpcheck is refused rather than misread. docs/register.md describes the
tables.

Two runs at once are serialised by SQLite's own locks: every write is a ``BEGIN IMMEDIATE``
transaction (the second writer waits up to :data:`BUSY_TIMEOUT` seconds). The journal is SQLite's
default rollback journal, not WAL: WAL needs shared memory on one machine, and the register's
folder may sit on a network share.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "BUSY_TIMEOUT",
    "DATABASE",
    "LATEST",
    "MIGRATIONS",
    "connect",
    "migrate",
    "schema_version",
    "transaction",
]

#: The database file inside the register's folder.
DATABASE = "register.sqlite"
#: Seconds a run waits for another run's write to finish.
BUSY_TIMEOUT = 120.0

#: (number, what it does, SQL). Never edit a step that has been released: add one.
MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "versions, publications, the intake log and the changes each submission reports",
        """
        CREATE TABLE versions (
            number          INTEGER PRIMARY KEY,
            act             TEXT NOT NULL,
            approved_on     TEXT NOT NULL,
            file            TEXT NOT NULL UNIQUE,
            source_name     TEXT NOT NULL,
            sha256          TEXT NOT NULL,
            rows            INTEGER NOT NULL,
            rows_published  INTEGER NOT NULL,
            rows_held_back  INTEGER NOT NULL,
            errors          INTEGER NOT NULL,
            warnings        INTEGER NOT NULL,
            forced          INTEGER NOT NULL DEFAULT 0,
            force_reason    TEXT,
            deadline        TEXT,
            subdivisions    TEXT NOT NULL,
            recorded_at     TEXT NOT NULL
        );
        CREATE TABLE publications (
            id              INTEGER PRIMARY KEY,
            version         INTEGER NOT NULL REFERENCES versions(number),
            published_on    TEXT NOT NULL,
            out_dir         TEXT,
            recorded_at     TEXT NOT NULL
        );
        CREATE TABLE submissions (
            id              INTEGER PRIMARY KEY,
            subdivision     TEXT NOT NULL,
            file_name       TEXT NOT NULL,
            sha256          TEXT NOT NULL,
            received_on     TEXT NOT NULL,
            date_source     TEXT NOT NULL,
            against_version INTEGER REFERENCES versions(number),
            rows            INTEGER NOT NULL,
            recorded_at     TEXT NOT NULL
        );
        CREATE TABLE changes (
            id              INTEGER PRIMARY KEY,
            submission      INTEGER NOT NULL REFERENCES submissions(id),
            kind            TEXT NOT NULL,
            grounds         TEXT NOT NULL,
            direction       TEXT,
            activity        TEXT,
            touchpoint      TEXT,
            fields          TEXT NOT NULL,
            posting         INTEGER NOT NULL,
            signature       TEXT NOT NULL
        );
        """,
    ),
    (
        2,
        "who reported each submission (the file's properties); the records made append-only",
        """
        ALTER TABLE submissions ADD COLUMN reported_by TEXT;
        CREATE INDEX changes_by_submission ON changes (submission);
        CREATE INDEX submissions_by_subdivision ON submissions (subdivision, against_version);
        CREATE TRIGGER versions_kept BEFORE UPDATE ON versions
        BEGIN SELECT RAISE(ABORT, 'register records are never changed'); END;
        CREATE TRIGGER versions_not_deleted BEFORE DELETE ON versions
        BEGIN SELECT RAISE(ABORT, 'register records are never deleted'); END;
        CREATE TRIGGER publications_kept BEFORE UPDATE ON publications
        BEGIN SELECT RAISE(ABORT, 'register records are never changed'); END;
        CREATE TRIGGER publications_not_deleted BEFORE DELETE ON publications
        BEGIN SELECT RAISE(ABORT, 'register records are never deleted'); END;
        CREATE TRIGGER submissions_kept BEFORE UPDATE ON submissions
        BEGIN SELECT RAISE(ABORT, 'register records are never changed'); END;
        CREATE TRIGGER submissions_not_deleted BEFORE DELETE ON submissions
        BEGIN SELECT RAISE(ABORT, 'register records are never deleted'); END;
        CREATE TRIGGER changes_kept BEFORE UPDATE ON changes
        BEGIN SELECT RAISE(ABORT, 'register records are never changed'); END;
        CREATE TRIGGER changes_not_deleted BEFORE DELETE ON changes
        BEGIN SELECT RAISE(ABORT, 'register records are never deleted'); END;
        """,
    ),
]

#: The schema this tpcheck writes.
LATEST = MIGRATIONS[-1][0]


def _statements(script: str) -> Iterator[str]:
    """The statements of *script* one by one (a trigger's body keeps its own «;»)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                yield pending.strip()
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {pending.strip()[:60]}")


def schema_version(connection: sqlite3.Connection) -> int:
    """The last migration applied (0 for a new database)."""
    found = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if found is None:
        return 0
    row = connection.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on an exception): one writer at a time."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def migrate(connection: sqlite3.Connection, upto: int = LATEST) -> int:
    """Apply the migrations after the database's schema version up to *upto*; return the version
    now. Each step and its ``schema_version`` row are one transaction."""
    with transaction(connection):
        connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
    for number, description, script in MIGRATIONS:
        if number > upto:
            break
        with transaction(connection):
            if schema_version(connection) >= number:  # another run did it while we waited
                continue
            for statement in _statements(script):
                connection.execute(statement)
            connection.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                (number, description, _now()),
            )
    return schema_version(connection)


def connect(path: Path, *, upto: int = LATEST) -> sqlite3.Connection:
    """Open (creating if needed) the database at *path*, migrated to *upto*. A database of a
    newer schema than this tpcheck knows raises ``ValueError`` with that schema's number."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    found = schema_version(connection)
    if found > LATEST:
        connection.close()
        raise ValueError(found)
    if found < upto:
        migrate(connection, upto)
    return connection


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
