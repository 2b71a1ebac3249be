"""One process per SQLite file: the lock next to the database, and why it cannot be stuck."""

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.instance_lock import (
    AlreadyRunning,
    FolderNotWritable,
    acquire,
    check_folder,
    held,
    lock_path,
    read_holder,
)

STARTED = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)

HOLD = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from bot.instance_lock import acquire
lock = acquire(Path(sys.argv[1]), datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
print("locked", flush=True)
sys.stdin.read()
"""


def test_the_second_taker_is_refused_with_the_first_ones_pid_and_start(tmp_path: Path) -> None:
    database = tmp_path / "data" / "studybot.db"
    with held(database, STARTED):
        assert lock_path(database) == tmp_path / "data" / "studybot.db.lock"
        with pytest.raises(AlreadyRunning) as caught:
            acquire(database, STARTED)
        assert read_holder(database) == caught.value.holder
    message = str(caught.value)
    assert message.startswith(f"another studybot (pid {os.getpid()}, host ")
    assert f"started {STARTED.isoformat()}) is already using {database}; stop it first" in message
    assert read_holder(database) is None
    acquire(database, STARTED).release()  # free again once released


def test_a_killed_holder_leaves_no_stuck_lock(tmp_path: Path) -> None:
    database = tmp_path / "studybot.db"
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "locked"
            with pytest.raises(AlreadyRunning, match=f"pid {holder.pid},"):
                acquire(database, STARTED)
        finally:
            holder.send_signal(signal.SIGKILL)
            holder.wait(timeout=10)
    lock = acquire(database, STARTED)  # the OS released the dead process's lock
    try:
        assert lock_path(database).read_text().splitlines()[0] == f"pid={os.getpid()}"
    finally:
        lock.release()


def test_an_unreadable_holder_still_gets_a_clear_refusal(tmp_path: Path) -> None:
    database = tmp_path / "studybot.db"
    with held(database, STARTED):
        lock_path(database).write_text("")  # the holder is between truncating and writing
        with pytest.raises(AlreadyRunning) as caught:
            acquire(database, STARTED)
    assert str(caught.value) == f"another studybot is already using {database}; stop it first"


def test_a_folder_that_cannot_be_written_is_named_with_the_fix(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    problem = check_folder(blocker / "data" / "studybot.db")
    assert problem is not None
    assert problem.startswith(f"{blocker} is a file")
    assert "DATABASE_URL" in problem
    with pytest.raises(FolderNotWritable, match="is a file"):
        acquire(blocker / "studybot.db", STARTED)
    (tmp_path / "data").mkdir()
    assert "is a folder, not a database file" in (check_folder(tmp_path / "data") or "")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_path_nobody_can_write_is_refused_even_for_root() -> None:
    problem = check_folder(Path("/proc/studybot-nope/studybot.db"))
    assert problem is not None
    assert problem.startswith("cannot write in /proc (")
    assert "set DATABASE_URL to a path in a folder this user can write to" in problem


def test_checking_a_folder_leaves_nothing_behind(tmp_path: Path) -> None:
    assert check_folder(tmp_path / "new" / "deeper" / "studybot.db") is None
    assert list(tmp_path.iterdir()) == []
