"""`studybot curriculum import FILE --community ID`, run as an organiser runs it."""

import sqlite3
from pathlib import Path

from tests.content_samples import GOOD_CURRICULUM
from tests.test_cli import studybot

TEAM = "slack:T0STUDY"


def known_community(tmp_path: Path, community_id: str) -> None:
    assert studybot(tmp_path, "migrate").returncode == 0
    with sqlite3.connect(tmp_path / "data" / "studybot.db") as conn:
        conn.execute(
            "INSERT INTO communities (community_id, created_at, updated_at) VALUES (?, ?, ?)",
            (community_id, "2026-12-01T00:00:00+00:00", "2026-12-01T00:00:00+00:00"),
        )


def stored(tmp_path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(tmp_path / "data" / "studybot.db") as conn:
        return conn.execute(
            "SELECT community_id, filename, imported_by FROM community_curricula"
        ).fetchall()


def test_a_valid_file_becomes_the_communitys_curriculum(tmp_path: Path) -> None:
    known_community(tmp_path, TEAM)
    (tmp_path / "ours.toml").write_text(GOOD_CURRICULUM)
    result = studybot(tmp_path, "curriculum", "import", "ours.toml", "--community", TEAM)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Imported ")
    assert "/study admin curriculum reset goes back to the bundled one" in result.stdout
    assert stored(tmp_path) == [(TEAM, "ours.toml", "command-line")]


def test_a_broken_file_lists_its_problems_and_changes_nothing(tmp_path: Path) -> None:
    known_community(tmp_path, "discord:123456789012345678")
    (tmp_path / "broken.toml").write_text('name = "x"\n[[days]]\ntitle = 3\n')
    result = studybot(
        tmp_path, "curriculum", "import", "broken.toml", "--community", "discord:123456789012345678"
    )
    assert result.returncode == 1
    assert "The curriculum was not imported" in result.stderr
    assert "Traceback" not in result.stderr
    assert stored(tmp_path) == []


def test_an_unknown_or_malformed_community_and_a_wrong_file_are_refused(tmp_path: Path) -> None:
    known_community(tmp_path, TEAM)
    (tmp_path / "ours.toml").write_text(GOOD_CURRICULUM)
    (tmp_path / "notes.txt").write_text(GOOD_CURRICULUM)
    cases = {
        ("ours.toml", "slack:T0NOBODY"): "studybot has not been used in slack:T0NOBODY yet",
        ("ours.toml", "T0STUDY"): "'T0STUDY' is not a community id",
        ("missing.toml", TEAM): "cannot read missing.toml",
        ("notes.txt", TEAM): "notes.txt",
    }
    for (file, community), expected in cases.items():
        result = studybot(tmp_path, "curriculum", "import", file, "--community", community)
        assert result.returncode == 1, (file, community)
        assert expected in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert stored(tmp_path) == []
