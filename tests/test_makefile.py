"""`make` checks its Python first: too old is refused in words, a foreign .venv is rebuilt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MAKEFILE = Path(__file__).parents[1] / "Makefile"


def fake_python(path: Path, version: str) -> Path:
    """A stand-in interpreter that answers the Makefile's two questions as `version` would."""
    major, minor = version.split(".")
    path.parent.mkdir(parents=True, exist_ok=True)
    old = int(major) < 3 or (int(major) == 3 and int(minor) < 11)
    path.write_text(
        "#!/bin/sh\n"
        'case "$2" in *sys.exit*) exit ' + ("1" if old else "0") + " ;; esac\n"
        f"echo {version}\n"
    )
    path.chmod(0o755)
    return path


def make_python_check(workdir: Path, python: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-f", str(MAKEFILE), "python-check", f"PYTHON={python}"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_a_python_older_than_3_11_is_refused_in_one_line(tmp_path: Path) -> None:
    result = make_python_check(tmp_path, fake_python(tmp_path / "py310", "3.10"))
    assert result.returncode != 0
    assert result.stdout.strip().splitlines() == [
        f"make: studybot needs Python 3.11 or newer, and {tmp_path / 'py310'} is 3.10; install "
        "a newer one and run make PYTHON=python3.12 (or another 3.11+)"
    ]


def test_a_venv_from_another_python_is_rebuilt(tmp_path: Path) -> None:
    fake_python(tmp_path / ".venv" / "bin" / "python", "3.9")
    result = make_python_check(tmp_path, sys.executable)
    assert result.returncode == 0, result.stderr
    want = "{}.{}".format(*sys.version_info[:2])
    assert f".venv was made with Python 3.9, not {sys.executable} ({want}); rebuilding it" in (
        result.stdout
    )
    assert not (tmp_path / ".venv").exists()


def test_a_venv_from_this_python_is_kept(tmp_path: Path) -> None:
    want = "{}.{}".format(*sys.version_info[:2])
    fake_python(tmp_path / ".venv" / "bin" / "python", want)
    result = make_python_check(tmp_path, sys.executable)
    assert (result.returncode, result.stdout) == (0, "")
    assert (tmp_path / ".venv" / "bin" / "python").exists()
