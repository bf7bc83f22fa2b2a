import json
import subprocess
import sys
from pathlib import Path

import pytest

from runtime.cli import main
from tests.conftest import ROOT


def test_check_lists_builtin_destinations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ROOT / "destinations")]) == 0
    out = capsys.readouterr().out
    assert "orb: Orb" in out
    assert "functions: on_track, on_identify" in out
    assert "preset 'Send every event'" in out


def test_check_reports_broken_definition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "destination.json").write_text(json.dumps({"name": "B", "slug": "B!"}))
    assert main(["check", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"{folder / 'destination.json'}#/slug:" in err
    assert f"{folder / 'destination.json'}#/settings: missing required value" in err


def test_new_creates_working_destination(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "acme", "--dir", str(tmp_path)]) == 0
    folder = tmp_path / "acme"
    code = main(
        [
            "replay",
            str(folder / "examples" / "events.jsonl"),
            "--destination",
            "acme",
            "--settings",
            str(folder / "examples" / "settings.json"),
            "--destinations-dir",
            str(folder),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "3 events: 1 delivered, 1 unsupported, 1 rejected" in out


def test_new_test_file_passes(tmp_path: Path) -> None:
    assert main(["new", "acme", "--dir", str(tmp_path)]) == 0
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        str(tmp_path / "acme" / "tests"),
    ]
    first = subprocess.run(
        [*command, "--snapshot-update"], capture_output=True, text=True
    )
    second = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert first.returncode == 0, first.stdout
    assert second.returncode == 0, second.stdout


@pytest.mark.parametrize("slug", ["Acme", "1acme", "ac me"])
def test_new_rejects_bad_slug(
    tmp_path: Path, slug: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", slug, "--dir", str(tmp_path)]) == 2
    assert f"invalid slug {slug!r}" in capsys.readouterr().err


def test_new_refuses_existing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "acme").mkdir()
    assert main(["new", "acme", "--dir", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err
