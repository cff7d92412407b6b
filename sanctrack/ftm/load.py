"""FollowTheMoney entities loaded as a sanctrack dataset: read into a fixture document,
then loaded by the fixture loader (the same checks, all or nothing, update in place)."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from sqlmodel import Session

from sanctrack.errors import FixtureError
from sanctrack.fixture import LoadReport, load_fixture
from sanctrack.fixture.issues import issues_from
from sanctrack.fixture.paths import check_regular, shown_name
from sanctrack.fixture.schema import DatasetIn
from sanctrack.ftm.read import Reader


@dataclass
class FtmImport:
    """What an import read, what it skipped (entities of other schemata), and the load."""

    load: LoadReport
    read: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    #: Ownership entities skipped because their owner or asset was not imported.
    unlinked: int = 0

    def __str__(self) -> str:
        read = ", ".join(f"{n} {s}" for s, n in sorted(self.read.items())) or "nothing"
        text = f"{self.load}; read {read}"
        if self.skipped:
            skipped = ", ".join(f"{n} {s}" for s, n in sorted(self.skipped.items()))
            text += f"; skipped {skipped} (sanctrack imports no such entities)"
        if self.unlinked:
            text += f"; skipped {self.unlinked} Ownership whose owner or asset is not imported"
        return text


def import_entities(
    session: Session, path: str | Path, dataset: str, *, title: str | None = None
) -> FtmImport:
    """Load the Vessel, Airplane, Company, Organization (and its other kinds, such as
    PublicBody), Person and Ownership entities of the FtM JSON-lines file ``path`` as the dataset
    ``dataset``: all or nothing, and loading a newer file updates the dataset in place.
    Ownership entities become ownership links, citing a source (kind dataset) for each
    sourceUrl; one whose owner or asset is not imported is counted in ``unlinked``; entities
    of other schemata (Sanction, Event...) in ``skipped``.
    Raises FixtureError, each problem at its line and entity id, with nothing loaded."""
    path = Path(path)
    check_regular(path)
    reader = Reader(path, shown_name(path), dataset)
    sections = reader.document()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    header = {
        "id": dataset,
        "title": title or f"FollowTheMoney entities from {path.name}",
        "version": f"sha256:{digest}",
    }
    try:
        DatasetIn.model_validate(header)
    except ValidationError as error:
        reader.found.extend((0, issue) for issue in issues_from(error, reader.file, "dataset"))
    if reader.problems:
        raise FixtureError(reader.problems)
    with tempfile.TemporaryDirectory(prefix="sanctrack-ftm-") as folder:
        fixture = Path(folder) / f"{path.stem}.json"
        fixture.write_text(json.dumps({"dataset": header, **sections}), encoding="utf-8")
        try:
            report = load_fixture(session, fixture)
        except FixtureError as error:
            located = [reader.relocated(issue) for issue in error.errors]
            raise FixtureError(located, error.total) from None
    return FtmImport(report, reader.read, reader.skipped, reader.unlinked)
