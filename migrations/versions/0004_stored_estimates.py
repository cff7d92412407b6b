"""stored estimates

Tables estimated_transfer and year_estimate hold what the estimate engine gives each
transfer under the default policy and year split (sanctrack.models.estimate), and
triggers keep them honest: any change to what a transfer's estimate reads (its claims,
its period, the reliability or publication date of one of its claims' sources) deletes
the transfer's stored estimate, so that queries estimate it from its claims until it is
stored again. The database already loaded has no stored estimates: queries estimate
everything from the claims until the next load or ``sanctrack.refresh_estimates``.

On SQLite, a later revision that rebuilds the claim, transfer or source table in batch
mode drops these triggers with the old table: it must create them again
(``create_triggers``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 12:10:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: Deleting a transfer's stored estimate: its years, then the row that says it is stored.
FORGET = (
    "DELETE FROM year_estimate WHERE transfer_id {match}; "
    "DELETE FROM estimated_transfer WHERE transfer_id {match};"
)
SOURCE_CLAIMS = "IN (SELECT transfer_id FROM claim WHERE source_id = NEW.id)"
SOURCE_CHANGED = (
    "OLD.reliability IS DISTINCT FROM NEW.reliability "
    "OR OLD.published IS DISTINCT FROM NEW.published"
)
PERIOD_CHANGED = (
    "OLD.period_start IS DISTINCT FROM NEW.period_start "
    "OR OLD.period_end IS DISTINCT FROM NEW.period_end"
)

SQLITE_TRIGGERS = {
    "claim_insert": ("AFTER INSERT ON claim", None, ["= NEW.transfer_id"]),
    "claim_update": ("AFTER UPDATE ON claim", None, ["= OLD.transfer_id", "= NEW.transfer_id"]),
    "claim_delete": ("AFTER DELETE ON claim", None, ["= OLD.transfer_id"]),
    "transfer_update": (
        "AFTER UPDATE OF period_start, period_end ON transfer",
        PERIOD_CHANGED,
        ["= NEW.id"],
    ),
    "source_update": (
        "AFTER UPDATE OF reliability, published ON source",
        SOURCE_CHANGED,
        [SOURCE_CLAIMS],
    ),
}

#: PostgreSQL: statement triggers over transition tables for claims (a load's COPY
#: fires one per statement, not one per row), row triggers for the rest.
PG_FUNCTIONS = {
    "claims_new": FORGET.format(match="IN (SELECT transfer_id FROM new_claims)"),
    "claims_old": FORGET.format(match="IN (SELECT transfer_id FROM old_claims)"),
    "claims_both": FORGET.format(
        match="IN (SELECT transfer_id FROM old_claims UNION SELECT transfer_id FROM new_claims)"
    ),
    "transfer_row": FORGET.format(match="= NEW.id"),
    "source_row": FORGET.format(match=SOURCE_CLAIMS),
}
PG_TRIGGERS = {
    "claim_insert": (
        "AFTER INSERT ON claim REFERENCING NEW TABLE AS new_claims FOR EACH STATEMENT",
        "claims_new",
    ),
    "claim_update": (
        "AFTER UPDATE ON claim REFERENCING OLD TABLE AS old_claims NEW TABLE AS new_claims "
        "FOR EACH STATEMENT",
        "claims_both",
    ),
    "claim_delete": (
        "AFTER DELETE ON claim REFERENCING OLD TABLE AS old_claims FOR EACH STATEMENT",
        "claims_old",
    ),
    "transfer_update": (
        f"AFTER UPDATE OF period_start, period_end ON transfer FOR EACH ROW "
        f"WHEN ({PERIOD_CHANGED})",
        "transfer_row",
    ),
    "source_update": (
        f"AFTER UPDATE OF reliability, published ON source FOR EACH ROW WHEN ({SOURCE_CHANGED})",
        "source_row",
    ),
}


def create_triggers() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for name, body in PG_FUNCTIONS.items():
            op.execute(
                f"CREATE FUNCTION sanctrack_forget_{name}() RETURNS trigger LANGUAGE plpgsql "
                f"AS $$ BEGIN {body} RETURN NULL; END $$"
            )
        for name, (when, function) in PG_TRIGGERS.items():
            op.execute(
                f"CREATE TRIGGER sanctrack_forget_{name} {when} "
                f"EXECUTE FUNCTION sanctrack_forget_{function}()"
            )
        return
    for name, (when, condition, matches) in SQLITE_TRIGGERS.items():
        guard = f" WHEN {condition.replace('IS DISTINCT FROM', 'IS NOT')}" if condition else ""
        body = " ".join(FORGET.format(match=m) for m in matches)
        op.execute(f"CREATE TRIGGER sanctrack_forget_{name} {when}{guard} BEGIN {body} END")


def drop_triggers() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    for name, (when, *_) in (PG_TRIGGERS if postgres else SQLITE_TRIGGERS).items():
        table = when.split(" ON ")[1].split()[0]
        op.execute(f"DROP TRIGGER IF EXISTS sanctrack_forget_{name}" + (f" ON {table}" if postgres else ""))
    if postgres:
        for name in PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS sanctrack_forget_{name}()")


def upgrade() -> None:
    op.create_table(
        'estimated_transfer',
        sa.Column('transfer_id', sa.Integer(), nullable=False),
        sa.Column('conflicting', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['transfer_id'], ['transfer.id'], name=op.f('fk_estimated_transfer_transfer_id_transfer'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('transfer_id', name=op.f('pk_estimated_transfer')),
    )
    op.create_table(
        'year_estimate',
        sa.Column('transfer_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('unit_slug', sa.String(length=100), nullable=True),
        sa.Column('source_id', sa.String(length=100), nullable=True),
        sa.Column('low', sa.BigInteger(), nullable=False),
        sa.Column('best', sa.BigInteger(), nullable=False),
        sa.Column('high', sa.BigInteger(), nullable=True),
        sa.Column('unquantified', sa.SmallInteger(), nullable=False),
        sa.Column('allocated', sa.SmallInteger(), nullable=False),
        sa.CheckConstraint('0 <= low AND low <= best', name=op.f('ck_year_estimate_low_best')),
        sa.CheckConstraint('high IS NULL OR best <= high', name=op.f('ck_year_estimate_best_high')),
        sa.CheckConstraint('unquantified = 0 OR unquantified = 1', name=op.f('ck_year_estimate_unquantified')),
        sa.CheckConstraint('allocated = 0 OR allocated = 1', name=op.f('ck_year_estimate_allocated')),
        sa.ForeignKeyConstraint(['transfer_id'], ['estimated_transfer.transfer_id'], name=op.f('fk_year_estimate_transfer_id_estimated_transfer'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('transfer_id', 'year', name=op.f('pk_year_estimate')),
    )
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    op.drop_table('year_estimate')
    op.drop_table('estimated_transfer')
