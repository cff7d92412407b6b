"""browse_claims names derived claims

The browse_claims view (0009) gains two columns: ``derived_by``, the method a derived
claim's figure was computed by (``capacity``; NULL for a figure read in its source),
and ``derivation_complete``, whether the derivation counted every movement (false: its
figure is a floor). A Datasette user then never takes a computed figure for one a
source printed. Nothing stored changes.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 06:45:00.000000

"""
import importlib.util
from pathlib import Path
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0017'
down_revision: Union[str, None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

LAST_COLUMN = "    claim.quote AS quote\n"
DERIVED_COLUMNS = (
    "    claim.quote AS quote,\n"
    "    claim_derivation.method AS derived_by,\n"
    "    claim_derivation.complete AS derivation_complete\n"
)
DERIVED_JOIN = "LEFT JOIN claim_derivation ON claim_derivation.claim_id = claim.id\n"


def _first_view() -> str:
    """0009's CREATE VIEW statement, read from its revision file."""
    path = Path(__file__).with_name("0009_browse_claims_view.py")
    spec = importlib.util.spec_from_file_location("sanctrack_revision_0009", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.VIEW)


def derived_view() -> str:
    """0009's view with the two columns of a derived claim."""
    first = _first_view()
    assert first.count(LAST_COLUMN) == 1 and first.endswith("\n")
    return first.replace(LAST_COLUMN, DERIVED_COLUMNS) + DERIVED_JOIN


def upgrade() -> None:
    op.execute("DROP VIEW browse_claims")
    op.execute(derived_view())


def downgrade() -> None:
    op.execute("DROP VIEW browse_claims")
    op.execute(_first_view())
