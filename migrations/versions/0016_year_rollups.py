"""year rollups

Table year_rollup holds each dataset's stored year estimates summed per (year, materiel,
unit, supplier, recipient, status); rolled_up_dataset names the datasets whose rollup is
current (sanctrack.models.rollup). Triggers on year_estimate delete a dataset's row of
rolled_up_dataset whenever one of its year rows is inserted, deleted or changed, so that
queries read its year rows again until its rollup is built again. No rollup is built
here: queries read the year rows, as before, until the next load of a dataset or
``sanctrack.refresh_estimates``.

On SQLite, a later revision that rebuilds year_estimate in batch mode drops these
triggers with the old table: it must create them again (``create_triggers``).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 02:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0016'
down_revision: Union[str, None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UNROLL = "DELETE FROM rolled_up_dataset WHERE dataset_id {match};"
#: SQLite: row triggers (name: event, the rows' datasets).
SQLITE_TRIGGERS = {
    "insert": ("AFTER INSERT", ["= NEW.dataset_id"]),
    "update": ("AFTER UPDATE", ["= OLD.dataset_id", "= NEW.dataset_id"]),
    "delete": ("AFTER DELETE", ["= OLD.dataset_id"]),
}
#: PostgreSQL: statement triggers over transition tables (one per statement).
PG_TRIGGERS = {
    "insert": ("AFTER INSERT", "NEW TABLE AS new_years", "SELECT dataset_id FROM new_years"),
    "update": (
        "AFTER UPDATE",
        "OLD TABLE AS old_years NEW TABLE AS new_years",
        "SELECT dataset_id FROM old_years UNION SELECT dataset_id FROM new_years",
    ),
    "delete": ("AFTER DELETE", "OLD TABLE AS old_years", "SELECT dataset_id FROM old_years"),
}


def create_triggers() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for name, (when, tables, datasets) in PG_TRIGGERS.items():
            op.execute(
                f"CREATE FUNCTION sanctrack_unroll_year_{name}() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN {UNROLL.format(match=f'IN ({datasets})')} "
                "RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER sanctrack_unroll_year_{name} {when} ON year_estimate "
                f"REFERENCING {tables} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION sanctrack_unroll_year_{name}()"
            )
        return
    for name, (when, matches) in SQLITE_TRIGGERS.items():
        body = " ".join(UNROLL.format(match=m) for m in matches)
        op.execute(
            f"CREATE TRIGGER sanctrack_unroll_year_{name} {when} ON year_estimate "
            f"BEGIN {body} END"
        )


def drop_triggers() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    for name in SQLITE_TRIGGERS:
        op.execute(
            f"DROP TRIGGER IF EXISTS sanctrack_unroll_year_{name}"
            + (" ON year_estimate" if postgres else "")
        )
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS sanctrack_unroll_year_{name}()")


def upgrade() -> None:
    op.create_table(
        'rolled_up_dataset',
        sa.Column('dataset_id', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], name=op.f('fk_rolled_up_dataset_dataset_id_dataset'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('dataset_id', name=op.f('pk_rolled_up_dataset')),
    )
    op.create_table(
        'year_rollup',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dataset_id', sa.String(length=100), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('materiel_slug', sa.String(length=100), nullable=False),
        sa.Column('unit_slug', sa.String(length=100), nullable=True),
        sa.Column('supplier_code', sa.String(length=3), nullable=False),
        sa.Column('recipient_code', sa.String(length=3), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('sources', sa.Text(), nullable=True),
        sa.Column('low', sa.BigInteger(), nullable=False),
        sa.Column('best', sa.BigInteger(), nullable=False),
        sa.Column('high', sa.BigInteger(), nullable=False),
        sa.Column('unbounded', sa.Integer(), nullable=False),
        sa.Column('transfers', sa.BigInteger(), nullable=False),
        sa.Column('unquantified', sa.BigInteger(), nullable=False),
        sa.Column('allocated', sa.BigInteger(), nullable=False),
        sa.CheckConstraint('0 <= low AND low <= best', name=op.f('ck_year_rollup_low_best')),
        sa.CheckConstraint('unbounded = 0 OR unbounded = 1', name=op.f('ck_year_rollup_unbounded')),
        sa.CheckConstraint('0 < transfers', name=op.f('ck_year_rollup_transfers')),
        sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], name=op.f('fk_year_rollup_dataset_id_dataset'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_year_rollup')),
    )
    op.create_index('ix_year_rollup_dataset_id', 'year_rollup', ['dataset_id'], unique=False)
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    op.drop_index('ix_year_rollup_dataset_id', table_name='year_rollup')
    op.drop_table('year_rollup')
    op.drop_table('rolled_up_dataset')
