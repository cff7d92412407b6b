"""partial indexes for the stored estimates

Two partial indexes, so that the aggregate finds the few rows it looks for without
reading millions: ix_estimated_transfer_conflicting (the transfers whose claims conflict,
which queries estimate from their claims) and ix_year_estimate_several_sources (the years
of transfers whose claims have several sources, whose sources a query reads from the
claims). Nothing stored changes.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 12:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0019'
down_revision: Union[str, None] = '0018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index(
        'ix_estimated_transfer_conflicting',
        'estimated_transfer',
        ['transfer_id'],
        sqlite_where=sa.text('conflicting = 1'),
        postgresql_where=sa.text('conflicting'),
    )
    op.create_index(
        'ix_year_estimate_several_sources',
        'year_estimate',
        [
            'year', 'materiel_slug', 'unit_slug', 'supplier_code', 'recipient_code',
            'source_id', 'status', 'dataset_id', 'transfer_id',
        ],
        sqlite_where=sa.text('source_id IS NULL'),
        postgresql_where=sa.text('source_id IS NULL'),
    )


def downgrade() -> None:
    op.drop_index('ix_year_estimate_several_sources', table_name='year_estimate')
    op.drop_index('ix_estimated_transfer_conflicting', table_name='estimated_transfer')
