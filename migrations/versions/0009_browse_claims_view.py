"""browse_claims view

A view for browsing (``datasette sanctrack.db``): one row per claim, with its dataset,
its transfer's key, the supplier's and recipient's names, the materiel type and its
category, the claim's window, qualifier and numbers, unit, locator and quote, and its
source's title, publisher, url and reliability. Nothing stored changes.

A later migration that rebuilds one of the tables it reads (claim, transfer, dataset,
state, materiel_type, category, source) in SQLite batch mode must drop the view first
and create it again after: SQLite refuses to rename a table a view refers to while the
table is missing.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 15:05:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

VIEW = """
CREATE VIEW browse_claims AS
SELECT
    claim.id AS claim_id,
    transfer.dataset_id AS dataset,
    dataset.title AS dataset_title,
    transfer.key AS transfer,
    transfer.supplier_code AS supplier_code,
    supplier.name AS supplier,
    transfer.recipient_code AS recipient_code,
    recipient.name AS recipient,
    transfer.materiel_slug AS materiel,
    materiel_type.name AS materiel_name,
    materiel_type.category_slug AS category,
    category.name AS category_name,
    transfer.period AS period,
    transfer.status AS status,
    claim.position AS claim_position,
    claim.measure AS measure,
    claim.period AS claim_period,
    claim.since AS since,
    claim.as_of AS as_of,
    claim.window_start AS window_start,
    claim.window_end AS window_end,
    claim.qualifier AS qualifier,
    claim.low AS low,
    claim.best AS best,
    claim.high AS high,
    claim.unit_slug AS unit,
    claim.source_id AS source_id,
    source.title AS source_title,
    source.publisher AS source_publisher,
    source.published AS source_published,
    source.url AS source_url,
    source.reliability AS reliability,
    source.effective_reliability AS effective_reliability,
    claim.credibility AS credibility,
    claim.page AS page,
    claim.paragraph AS paragraph,
    claim.figure AS figure,
    claim.quote AS quote
FROM claim
JOIN transfer ON transfer.id = claim.transfer_id
JOIN dataset ON dataset.id = transfer.dataset_id
JOIN state AS supplier ON supplier.code = transfer.supplier_code
JOIN state AS recipient ON recipient.code = transfer.recipient_code
JOIN materiel_type ON materiel_type.slug = transfer.materiel_slug
JOIN category ON category.slug = materiel_type.category_slug
JOIN source ON source.id = claim.source_id
"""


def upgrade() -> None:
    op.execute(VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW browse_claims")
