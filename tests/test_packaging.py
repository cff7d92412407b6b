"""A built wheel carries migrations/, seeds/ and fixtures/, and an installed (non-editable)
sanctrack can migrate, seed and load its bundled fixtures."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sanctrack.fixture import load_order
from sanctrack.fixture.read import read_document

ROOT = Path(__file__).resolve().parent.parent

INSTALLED_CHECK = """
import sys
from pathlib import Path
import sanctrack
from sanctrack.resources import data_dir
from sqlmodel import Session
target = Path(sys.argv[1])
assert Path(sanctrack.__file__).is_relative_to(target), sanctrack.__file__
assert data_dir("migrations").is_relative_to(target), data_dir("migrations")
engine = sanctrack.connect("sqlite:///" + sys.argv[2])
for path in sanctrack.bundled_fixtures():
    assert path.is_relative_to(target), path
    with Session(engine) as session:
        report = sanctrack.load_fixture(session, path)
        print(path.name, report.counts["transfers"]["created"])
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (built,) = out.glob("sanctrack-*.whl")
    return built


def test_wheel_carries_the_data_directories(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "sanctrack/py.typed",
        "sanctrack/_data/migrations/env.py",
        "sanctrack/_data/migrations/script.py.mako",
        "sanctrack/_data/migrations/versions/0001_core_store.py",
        "sanctrack/_data/seeds/states.json",
        "sanctrack/_data/seeds/provisions.yaml",
        "sanctrack/_data/fixtures/msmt-2025-05-dprk-russia.yaml",
        "sanctrack/_data/fixtures/nato-2024-10-28.yaml",
        "sanctrack/_data/fixtures/dprk-russia-2023-2025-materiel.yaml",
        "sanctrack/_data/fixtures/dprk-russia-2023-2025-people-fuel-tech.yaml",
        "sanctrack/_data/fixtures/schema.json",
    ):
        assert required in names


def test_installed_wheel_migrates_seeds_and_loads(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    result = subprocess.run(
        [sys.executable, "-c", INSTALLED_CHECK, str(target), str(tmp_path / "x.db")],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # Every bundled file, in the order of its requires, with all its transfers.
    expected = []
    for path in load_order((ROOT / "fixtures").glob("*.yaml")):
        expected += [path.name, str(len(read_document(path)["transfers"]))]
    assert result.stdout.split() == expected
    names = expected[::2]
    assert names.index("msmt-2025-05-dprk-russia.yaml") < names.index(
        "dprk-russia-2023-2025-materiel.yaml"
    )  # which requires it
    assert len(names) == len(list((ROOT / "fixtures").glob("*.yaml")))
