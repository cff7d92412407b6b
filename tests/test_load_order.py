"""load_order: each fixture file after the datasets it requires, otherwise name order."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

import sanctrack
from sanctrack.fixture import load_order


def dataset(tmp_path: Path, name: str, dataset_id: str, requires: list[str] | None) -> Path:
    path = tmp_path / name
    needs = f"\n  requires: [{', '.join(requires)}]" if requires else ""
    path.write_text(
        f'dataset:\n  id: {dataset_id}\n  title: T\n  version: "1"{needs}\n'
        "sources: []\ntransfers: []\n",
        encoding="utf-8",
    )
    return path


def test_a_file_comes_after_the_datasets_it_requires(tmp_path: Path) -> None:
    a = dataset(tmp_path, "a.yaml", "a", ["c"])
    b = dataset(tmp_path, "b.yaml", "b", None)
    c = dataset(tmp_path, "c.yaml", "c", ["b"])
    d = dataset(tmp_path, "d.yaml", "d", ["not-among-the-files", "d"])
    assert load_order([d, c, b, a]) == [b, c, a, d]


def test_the_order_loads(tmp_path: Path) -> None:
    """The files load in the order given (the loader refuses a dataset required but not
    loaded), and the demo's order is that of the bundled files."""
    b = dataset(tmp_path, "b.yaml", "b", None)
    a = dataset(tmp_path, "a.yaml", "a", ["b"])
    engine = sanctrack.connect(f"sqlite:///{tmp_path / 'o.db'}")
    with Session(engine) as session:
        for path in load_order([a, b]):
            sanctrack.load_fixture(session, path)
    engine.dispose()
    names = [p.name for p in sanctrack.bundled_fixtures()]
    assert names.index("msmt-2025-05-dprk-russia.yaml") < names.index(
        "dprk-russia-2023-2025-materiel.yaml"
    )


def test_a_circle_is_refused_with_the_files_named(tmp_path: Path) -> None:
    a = dataset(tmp_path, "a.yaml", "a", ["b"])
    b = dataset(tmp_path, "b.yaml", "b", ["a"])
    with pytest.raises(sanctrack.FixtureError) as caught:
        load_order([a, b])
    assert str(caught.value) == (
        "1 error; nothing was loaded. Fix the file and load it again:\n"
        "a.yaml: dataset.requires: these files require each other in a circle: a.yaml, "
        "b.yaml; remove one of the requirements"
    )
