"""One studybot process per SQLite file: an advisory lock on a file next to the database.

SQLite itself would let two bots share a file, and both would then send every scheduled post
and race on every job. `flock` is held by the open file, so the operating system releases it
when the process ends in any way (crash, kill -9, power loss), and a lock can never be left
stuck. The lock file stays on disk between runs: deleting it could let a second process lock
a fresh file while the first still holds the old one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

HOLDER_FIELDS = ("pid", "host", "started")


class FolderNotWritable(Exception):
    """The database's folder cannot be created or written; the message says which and why."""


class AlreadyRunning(Exception):
    """Another process holds the lock; `holder` is what it wrote about itself, if readable."""

    def __init__(self, database: Path, holder: dict[str, str]) -> None:
        self.database = database
        self.holder = holder
        super().__init__(self.describe())

    def describe(self) -> str:
        who = describe_holder(self.holder)
        return f"another {who} is already using {self.database}; stop it first"


def describe_holder(holder: dict[str, str]) -> str:
    """'studybot (pid 1234, host box, started ...)', with whatever the holder wrote."""
    who = ", ".join(f"{key} {holder[key]}" for key in HOLDER_FIELDS if key in holder)
    return f"studybot ({who})" if who else "studybot"


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def check_folder(database: Path) -> str | None:
    """Why the bot could not create and write its database there, or None if it could.

    Creates nothing that stays: `studybot check` must not leave a data folder behind. The
    test is a real write (root passes every permission check, a read-only mount does not).
    """
    folder = database.parent
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if database.exists() and not database.is_file():
        return f"{database} is a folder, not a database file; set DATABASE_URL to a file in it"
    if not existing.is_dir():
        where = "" if existing == folder else f", so the database folder {folder} cannot be made"
        return (
            f"{existing} is a file where a folder should be{where}; move it away or set "
            "DATABASE_URL to a path in a folder"
        )
    try:
        # A scratch folder proves both that missing folders can be made and that files can.
        with tempfile.TemporaryDirectory(dir=existing, prefix=".studybot-check-") as scratch:
            Path(scratch, "probe").write_bytes(b"")
    except OSError as exc:
        return (
            f"cannot write in {existing} ({exc.strerror or exc}), so the database {database} "
            "cannot be kept there; set DATABASE_URL to a path in a folder this user can write to"
        )
    return None


def read_holder(database: Path) -> dict[str, str] | None:
    """What the process holding the lock wrote about itself, or None if nobody holds it."""
    path = lock_path(database)
    try:
        handle = path.open("r", encoding="utf-8", errors="replace")
    except OSError:
        return None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _parse(handle.read())
        fcntl.flock(handle, fcntl.LOCK_UN)
        return None


@dataclass
class InstanceLock:
    database: Path
    _handle: IO[str]

    def release(self) -> None:
        if not self._handle.closed:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()


def acquire(database: Path, started: datetime) -> InstanceLock:
    """Take the lock for `database`, creating its folder, or raise why it cannot be taken."""
    if problem := check_folder(database):
        raise FolderNotWritable(problem)
    path = lock_path(database)
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        # "a": never truncate a file that another process may be holding.
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        raise FolderNotWritable(
            f"cannot create the lock file {path} ({exc.strerror or exc}); set DATABASE_URL to "
            "a path in a folder this user can write to"
        ) from exc
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = _parse(handle.read())
        handle.close()
        raise AlreadyRunning(database, holder) from None
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid={os.getpid()}\nhost={socket.gethostname()}\nstarted={started.isoformat()}\n")
    handle.flush()
    return InstanceLock(database, handle)


@contextlib.contextmanager
def held(database: Path, started: datetime) -> Iterator[InstanceLock]:
    lock = acquire(database, started)
    try:
        yield lock
    finally:
        lock.release()


def _parse(text: str) -> dict[str, str]:
    holder: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key in HOLDER_FIELDS:
            holder[key] = value.strip()
    return holder
