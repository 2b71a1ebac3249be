"""The shipped systemd unit: what it promises (restarts, network, one writable folder) and,
where this machine has systemd-analyze, that systemd itself accepts every line of it."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

UNIT = Path(__file__).parents[1] / "deploy" / "studybot.service"
SHARD_GROUP_UNIT = UNIT.with_name("studybot@.service")
HOME = "/opt/studybot"


def unit(path: Path = UNIT) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text())
    return parser


def test_the_shard_group_unit_runs_the_shards_its_instance_names() -> None:
    group, single = unit(SHARD_GROUP_UNIT), unit()
    service = group["Service"]
    assert service["Environment"] == "STUDYBOT_SHARD_IDS=%i"  # studybot@0-1: shards 0 and 1
    assert service["ExecStart"] == single["Service"]["ExecStart"]
    # The same restarts and hardening as the single unit; nothing to write on PostgreSQL.
    for key in ("User", "Restart", "RestartSec", "TimeoutStopSec", "ProtectSystem"):
        assert service[key] == single["Service"][key], key
    assert "ReadWritePaths" not in service


def test_the_unit_restarts_the_bot_as_its_own_user_with_one_writable_folder() -> None:
    service, startup = unit()["Service"], unit()["Unit"]
    assert (service["User"], service["Group"]) == ("studybot", "studybot")
    assert (service["Restart"], service["RestartSec"]) == ("always", "10")
    assert startup["Wants"] == startup["After"] == "network-online.target"
    assert service["ExecStart"] == f"{HOME}/.venv/bin/studybot run"
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == f"{HOME}/data"  # database, lock and backups
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
@pytest.mark.parametrize(
    ("source", "name"), [(UNIT, UNIT.name), (SHARD_GROUP_UNIT, "studybot@0-1.service")]
)
def test_systemd_accepts_the_unit(tmp_path: Path, source: Path, name: str) -> None:
    # verify checks that ExecStart exists, so the unit is pointed at a copy of the layout.
    home = tmp_path / "opt" / "studybot"
    (home / "data").mkdir(parents=True)
    (home / ".venv" / "bin").mkdir(parents=True)
    studybot = home / ".venv" / "bin" / "studybot"
    studybot.write_text("#!/bin/sh\n")
    studybot.chmod(0o755)
    copy = tmp_path / name
    copy.write_text(source.read_text().replace(HOME, str(home)))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    # It exits 0 on unknown keys too, so any complaint about the file counts as a failure.
    complaints = [line for line in result.stderr.splitlines() if str(copy) in line]
    assert (result.returncode, complaints) == (0, [])
