"""claim windows

Each claim gains its position in its transfer's list of claims (the new natural key, so
one source may make several claims on one transfer), what it measures (a flow within its
window, or a cumulative running total), the window as written (period; since, as_of) and
the resolved window in days (window_start, window_end). Transfers may be pledged or
planned.

The claims already loaded are flows over their transfer's period: they get measure
'flow', the window of their transfer's period, and positions in claim id order.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 08:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD_STATUSES = "status IN ('reported', 'confirmed', 'denied')"
NEW_STATUSES = "status IN ('reported', 'confirmed', 'denied', 'pledged', 'planned')"


def _refuse_cascading_rebuild() -> None:
    """On SQLite, batch mode rebuilds the transfer table: with foreign keys on, dropping
    the old table would delete every claim and violation (ON DELETE CASCADE)."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite' or not bind.exec_driver_sql('PRAGMA foreign_keys').scalar():
        return
    held = bind.exec_driver_sql(
        'SELECT (SELECT COUNT(*) FROM claim) + (SELECT COUNT(*) FROM violation)'
    ).scalar()
    if held:
        raise RuntimeError(
            "Revision 0003 rebuilds the transfer table, which on SQLite with foreign keys on "
            "would delete every claim and violation: migrate with sanctrack.connect() (or "
            "`sanctrack init`), which switches foreign keys off while it migrates."
        )


def upgrade() -> None:
    _refuse_cascading_rebuild()
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('measure', sa.String(length=10), server_default='flow', nullable=False))
        batch_op.add_column(sa.Column('period', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('since', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('as_of', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('window_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('window_end', sa.Date(), nullable=True))

    # Existing claims: flows over their transfer's period (period_end is already the last
    # day of the end bound), numbered in claim id order within each transfer.
    op.execute(
        "UPDATE claim SET "
        "position = (SELECT COUNT(*) FROM claim AS earlier "
        "WHERE earlier.transfer_id = claim.transfer_id AND earlier.id < claim.id), "
        "window_start = (SELECT period_start FROM transfer WHERE transfer.id = claim.transfer_id), "
        "window_end = (SELECT period_end FROM transfer WHERE transfer.id = claim.transfer_id)"
    )

    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.alter_column('position', existing_type=sa.SmallInteger(), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_claim_transfer_id_source_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_claim_transfer_id_position'), ['transfer_id', 'position'])
        batch_op.create_check_constraint(batch_op.f('ck_claim_measure'), "measure IN ('flow', 'cumulative')")
        batch_op.create_check_constraint(
            batch_op.f('ck_claim_measure_shape'),
            "(measure = 'flow' AND since IS NULL AND as_of IS NULL) OR "
            "(measure = 'cumulative' AND period IS NULL AND window_end IS NOT NULL)",
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_claim_window_order'),
            "window_start IS NULL OR window_end IS NULL OR window_start <= window_end",
        )
        batch_op.create_check_constraint(batch_op.f('ck_claim_position'), "position >= 0")

    with op.batch_alter_table('transfer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_transfer_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_transfer_status'), NEW_STATUSES)


def _refuse_what_0002_cannot_hold() -> None:
    """Revision 0002 holds one flow claim per source and transfer, over the transfer's
    period, and no pledged or planned transfers: refuse rather than change their meaning."""
    bind = op.get_bind()
    counts = {
        "transfers with several claims from one source": (
            "SELECT COUNT(*) FROM (SELECT transfer_id FROM claim "
            "GROUP BY transfer_id, source_id HAVING COUNT(*) > 1) AS repeated"
        ),
        "cumulative claims": "SELECT COUNT(*) FROM claim WHERE measure = 'cumulative'",
        "claims with a period of their own": "SELECT COUNT(*) FROM claim WHERE period IS NOT NULL",
        "pledged or planned transfers": (
            "SELECT COUNT(*) FROM transfer WHERE status IN ('pledged', 'planned')"
        ),
    }
    found = []
    for what, query in counts.items():
        n = bind.execute(sa.text(query)).scalar()
        if n:
            found.append(f"{what} ({n})")
    if found:
        raise RuntimeError(
            "Cannot downgrade below revision 0003: revision 0002 cannot hold "
            + ", ".join(found)
            + ". Remove them first (reload the datasets without them)."
        )


def downgrade() -> None:
    _refuse_cascading_rebuild()
    _refuse_what_0002_cannot_hold()
    with op.batch_alter_table('transfer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_transfer_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_transfer_status'), OLD_STATUSES)

    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_claim_position'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_claim_window_order'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_claim_measure_shape'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_claim_measure'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_claim_transfer_id_position'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_claim_transfer_id_source_id'), ['transfer_id', 'source_id'])
        batch_op.drop_column('window_end')
        batch_op.drop_column('window_start')
        batch_op.drop_column('as_of')
        batch_op.drop_column('since')
        batch_op.drop_column('period')
        batch_op.drop_column('measure')
        batch_op.drop_column('position')
