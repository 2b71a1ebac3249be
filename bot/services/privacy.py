"""Members' data rights: forget a member, export a server's check-ins, retire those who left."""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.store import members, shared_work, study_days
from bot.store.database import Database
from bot.store.sql import Sql

log = logging.getLogger(__name__)

EXPORT_COLUMNS = (
    "checked_in_at_utc",
    "local_date",
    "member_id",
    "member",
    "minutes",
    "topic",
    "note",
    "source",
    "link",
)
EXPORT_NAME = "studybot-checkins"
SHARED_EXPORT_NAME = "studybot-shared-work.csv"
SHARED_COLUMNS = ("shared_at_utc", "member_id", "member", "kind", "title", "link", "useful_votes")
BOM = "\ufeff".encode()  # UTF-8 with a byte-order mark, so spreadsheets read it as UTF-8


@dataclass(frozen=True)
class ExportFile:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Export:
    """The export as files that each fit the upload limit: one CSV, one zip, or several zips."""

    files: tuple[ExportFile, ...]
    compressed: bool

    @property
    def split(self) -> bool:
        return len(self.files) > 1


class PrivacyService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def forget(self, community_id: str, user_id: str) -> int:
        """Delete everything about the member in this server; returns the rows deleted."""
        async with self._db.transaction() as conn:
            deleted = await conn.run(members.forget_member, community_id, user_id)
        log.info("forgot member %s in community %s (%d rows)", user_id, community_id, deleted)
        return deleted

    async def export_checkins(self, community_id: str) -> bytes:
        """The server's check-ins as one CSV, however large."""
        async with self._db.reader() as conn:
            # Built in the connection's own thread: a year of check-ins must not stall the loop.
            rows = await conn.run(export_rows, community_id)
        return BOM + b"".join(rows)

    async def export_for_upload(self, community_id: str, max_bytes: int) -> Export:
        """The server's check-ins as files of at most `max_bytes` each (see `package_csv`)."""
        now = self._clock.now()
        async with self._db.reader() as conn:
            rows = await conn.run(export_rows, community_id)
        # Compressing tens of megabytes takes a while: off the loop too.
        return await asyncio.to_thread(package_csv, rows, max_bytes, now)

    async def export_shared_work(self, community_id: str) -> ExportFile:
        """Every piece of work members shared here, with its Useful votes, as one CSV.

        (Journals and week reviews are private: never exported.)"""
        async with self._db.reader() as conn:
            rows = await conn.run(shared_work.for_export, community_id)
        target = _Rows()
        writer = csv.writer(target)
        writer.writerow(SHARED_COLUMNS)
        for row in rows:
            writer.writerow([neutralise(value) for value in row])
        return ExportFile(SHARED_EXPORT_NAME, BOM + b"".join(target.rows))

    async def members_to_check(self, retention_days: int) -> list[tuple[str, str]]:
        """(community, member) pairs with no activity for the retention period: ask if they left."""
        cutoff = (self._clock.now() - timedelta(days=retention_days)).date().isoformat()
        async with self._db.reader() as conn:
            return await conn.run(members.inactive_members, cutoff)


def neutralise(value: str) -> str:
    """Keep a spreadsheet from running a member's text as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class _Rows:
    """A file-like target for csv.writer that keeps each row apart (it writes once per row)."""

    def __init__(self) -> None:
        self.rows: list[bytes] = []

    def write(self, line: str) -> None:
        self.rows.append(line.encode("utf-8"))


def export_rows(conn: Sql, community_id: str) -> list[bytes]:
    """The header and then one encoded CSV row per check-in, oldest first."""
    target = _Rows()
    writer = csv.writer(target)
    writer.writerow(EXPORT_COLUMNS)
    for row in study_days.checkins_for_export(conn, community_id):
        writer.writerow([neutralise(value) for value in row])
    return target.rows


def _zipped(name: str, data: bytes, when: datetime) -> ExportFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        entry = zipfile.ZipInfo(f"{name}.csv", date_time=when.timetuple()[:6])
        entry.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(entry, data)
    return ExportFile(f"{name}.zip", buffer.getvalue())


def _chunks(rows: Sequence[bytes], parts: int) -> list[Sequence[bytes]]:
    """`rows` cut into `parts` runs of about the same size in bytes, in order."""
    total = sum(len(row) for row in rows)
    chunks: list[Sequence[bytes]] = []
    start, size = 0, 0
    for index, row in enumerate(rows):
        size += len(row)
        if size >= total * (len(chunks) + 1) / parts and len(chunks) < parts - 1:
            chunks.append(rows[start : index + 1])
            start = index + 1
    chunks.append(rows[start:])
    return [chunk for chunk in chunks if chunk]


def package_csv(rows: Sequence[bytes], max_bytes: int, when: datetime) -> Export:
    """The CSV (header first) as files of at most `max_bytes`: plain if it fits, else zipped.

    A zip still too large is split by check-ins into several zips, each a complete CSV with
    the header, so every part opens on its own in a spreadsheet.
    """
    header, body = rows[0], rows[1:]
    data = BOM + b"".join(rows)
    if len(data) <= max_bytes:
        return Export((ExportFile(f"{EXPORT_NAME}.csv", data),), compressed=False)
    whole = _zipped(EXPORT_NAME, data, when)
    if len(whole.data) <= max_bytes:
        return Export((whole,), compressed=True)
    parts = -(-len(whole.data) // max_bytes) + 1  # a little room: parts compress unevenly
    while parts <= len(body):
        chunks = _chunks(body, parts)
        files = tuple(
            _zipped(
                f"{EXPORT_NAME}-part{number}-of-{len(chunks)}",
                BOM + header + b"".join(chunk),
                when,
            )
            for number, chunk in enumerate(chunks, start=1)
        )
        if all(len(file.data) <= max_bytes for file in files):
            return Export(files, compressed=True)
        parts += max(1, parts // 4)
    raise ValueError(f"a single check-in does not fit in {max_bytes} bytes, even compressed")
