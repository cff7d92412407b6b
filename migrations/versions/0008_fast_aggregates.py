"""fast aggregates

The year rows of stored estimates copy the transfer's dataset, parties, materiel and
status, and one covering index (ix_year_estimate_totals) holds what the year x category
aggregate reads, so that it is one index scan. Table unestimated_transfer notes the
transfers whose estimate is not stored, so that finding them costs little among millions.

The forget triggers are created anew: they also note the transfer in
unestimated_transfer, and the transfer trigger watches the copied columns too.

Index ix_transfer_supplier_code goes: ix_transfer_overlap begins with the same column,
and a bulk load paid for both.

The stored estimates are a cache: both directions drop them, and note every transfer
with claims as unestimated (upgrade); the next load or ``sanctrack.refresh_estimates``
stores them again. Until then queries estimate from the claims, as before.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 15:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SOURCE_COLUMNS = ("reliability", "effective_reliability", "published", "published_first", "published_last")
OLD_TRANSFER_COLUMNS = ("period_start", "period_end")
NEW_TRANSFER_COLUMNS = (
    "period_start", "period_end", "dataset_id", "supplier_code", "recipient_code",
    "materiel_slug", "status",
)
SOURCE_CLAIMS = "SELECT transfer_id FROM claim WHERE source_id = NEW.id"
#: Every trigger: (table, event, the transfers it forgets, as a SELECT; SQLite, PostgreSQL).
#: On PostgreSQL, claims fire statement triggers over transition tables (a load's
#: multi-row INSERT fires one per statement, not one per row), the rest row triggers.
TRIGGERS = {
    "claim_insert": ("claim", "INSERT", "SELECT NEW.transfer_id", "SELECT transfer_id FROM new_claims"),
    "claim_update": (
        "claim",
        "UPDATE",
        "SELECT OLD.transfer_id UNION SELECT NEW.transfer_id",
        "SELECT transfer_id FROM old_claims UNION SELECT transfer_id FROM new_claims",
    ),
    "claim_delete": ("claim", "DELETE", "SELECT OLD.transfer_id", "SELECT transfer_id FROM old_claims"),
    "transfer_update": ("transfer", "UPDATE", "SELECT NEW.id", "SELECT NEW.id"),
    "source_update": ("source", "UPDATE", SOURCE_CLAIMS, SOURCE_CLAIMS),
}
PG_TRANSITIONS = {
    "claim_insert": "REFERENCING NEW TABLE AS new_claims FOR EACH STATEMENT",
    "claim_update": "REFERENCING OLD TABLE AS old_claims NEW TABLE AS new_claims FOR EACH STATEMENT",
    "claim_delete": "REFERENCING OLD TABLE AS old_claims FOR EACH STATEMENT",
}


def _changed(columns: Sequence[str], postgres: bool) -> str:
    op_ = "IS DISTINCT FROM" if postgres else "IS NOT"
    return " OR ".join(f"OLD.{c} {op_} NEW.{c}" for c in columns)


def _watched(name: str, pending: bool) -> Sequence[str] | None:
    """The columns an UPDATE trigger watches (None: every change of a row)."""
    if name == "transfer_update":
        return NEW_TRANSFER_COLUMNS if pending else OLD_TRANSFER_COLUMNS
    if name == "source_update":
        return SOURCE_COLUMNS
    return None


def _body(forgotten: str, pending: bool, postgres: bool) -> str:
    body = (
        f"DELETE FROM year_estimate WHERE transfer_id IN ({forgotten}); "
        f"DELETE FROM estimated_transfer WHERE transfer_id IN ({forgotten});"
    )
    if not pending:
        return body
    # Only transfers that still exist (a claim deleted with its transfer leaves none).
    noted = f"SELECT id FROM transfer WHERE id IN ({forgotten})"
    if postgres:
        return body + f" INSERT INTO unestimated_transfer (transfer_id) {noted} ON CONFLICT DO NOTHING;"
    return body + f" INSERT OR IGNORE INTO unestimated_transfer (transfer_id) {noted};"


def create_triggers(pending: bool) -> None:
    """The forget triggers; ``pending``: this revision's (noting unestimated transfers,
    watching the copied columns), else 0007's."""
    postgres = op.get_bind().dialect.name == 'postgresql'
    for name, (table, event, sqlite_ids, pg_ids) in TRIGGERS.items():
        columns = _watched(name, pending)
        of = f" OF {', '.join(columns)}" if columns else ""
        guard = _changed(columns, postgres) if columns else None
        if not postgres:
            when = f" WHEN {guard}" if guard else ""
            op.execute(
                f"CREATE TRIGGER sanctrack_forget_{name} AFTER {event}{of} ON {table}{when} "
                f"BEGIN {_body(sqlite_ids, pending, False)} END"
            )
            continue
        function = name if pending else OLD_PG_FUNCTIONS[name]
        op.execute(
            f"CREATE FUNCTION sanctrack_forget_{function}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN {_body(pg_ids, pending, True)} RETURN NULL; END $$"
        )
        each = PG_TRANSITIONS.get(name, f"FOR EACH ROW WHEN ({guard})")
        op.execute(
            f"CREATE TRIGGER sanctrack_forget_{name} AFTER {event}{of} ON {table} {each} "
            f"EXECUTE FUNCTION sanctrack_forget_{function}()"
        )


#: 0007's PostgreSQL trigger functions (0004's names), which its downgrades drop.
OLD_PG_FUNCTIONS = {
    "claim_insert": "claims_new",
    "claim_update": "claims_both",
    "claim_delete": "claims_old",
    "transfer_update": "transfer_row",
    "source_update": "source_row",
}


def drop_triggers() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    for name, (table, *_) in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS sanctrack_forget_{name}" + (f" ON {table}" if postgres else ""))
    if postgres:
        for name in (*TRIGGERS, *OLD_PG_FUNCTIONS.values()):
            op.execute(f"DROP FUNCTION IF EXISTS sanctrack_forget_{name}()")


def _estimate_tables(copies: bool) -> None:
    op.create_table(
        'estimated_transfer',
        sa.Column('transfer_id', sa.Integer(), nullable=False),
        sa.Column('conflicting', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['transfer_id'], ['transfer.id'], name=op.f('fk_estimated_transfer_transfer_id_transfer'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('transfer_id', name=op.f('pk_estimated_transfer')),
    )
    copied = [
        sa.Column('dataset_id', sa.String(length=100), nullable=False),
        sa.Column('supplier_code', sa.String(length=3), nullable=False),
        sa.Column('recipient_code', sa.String(length=3), nullable=False),
        sa.Column('materiel_slug', sa.String(length=100), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
    ] if copies else []
    op.create_table(
        'year_estimate',
        sa.Column('transfer_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        *copied,
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
    if copies:
        op.create_index(
            'ix_year_estimate_totals',
            'year_estimate',
            ['year', 'materiel_slug', 'unit_slug', 'supplier_code', 'recipient_code', 'source_id',
             'status', 'dataset_id', 'transfer_id', 'low', 'best', 'high', 'unquantified', 'allocated'],
            unique=False,
        )


def _unnote_deleted() -> None:
    """A deleted transfer is no longer noted as unestimated."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "CREATE FUNCTION sanctrack_unnote_transfer_delete() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN DELETE FROM unestimated_transfer WHERE transfer_id IN "
            "(SELECT id FROM old_transfers); RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER sanctrack_unnote_transfer_delete AFTER DELETE ON transfer "
            "REFERENCING OLD TABLE AS old_transfers FOR EACH STATEMENT "
            "EXECUTE FUNCTION sanctrack_unnote_transfer_delete()"
        )
        return
    op.execute(
        "CREATE TRIGGER sanctrack_unnote_transfer_delete AFTER DELETE ON transfer "
        "BEGIN DELETE FROM unestimated_transfer WHERE transfer_id = OLD.id; END"
    )


def _drop_unnote_deleted() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS sanctrack_unnote_transfer_delete ON transfer")
        op.execute("DROP FUNCTION IF EXISTS sanctrack_unnote_transfer_delete()")
        return
    op.execute("DROP TRIGGER IF EXISTS sanctrack_unnote_transfer_delete")


def upgrade() -> None:
    op.drop_index('ix_transfer_supplier_code', table_name='transfer')
    drop_triggers()
    op.drop_table('year_estimate')
    op.drop_table('estimated_transfer')
    _estimate_tables(copies=True)
    op.create_table(
        'unestimated_transfer',
        sa.Column('transfer_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint('transfer_id', name=op.f('pk_unestimated_transfer')),
    )
    op.execute("INSERT INTO unestimated_transfer (transfer_id) SELECT DISTINCT transfer_id FROM claim")
    create_triggers(pending=True)
    _unnote_deleted()


def downgrade() -> None:
    _drop_unnote_deleted()
    drop_triggers()
    op.drop_table('unestimated_transfer')
    op.drop_table('year_estimate')
    op.drop_table('estimated_transfer')
    _estimate_tables(copies=False)
    create_triggers(pending=False)
    op.create_index('ix_transfer_supplier_code', 'transfer', ['supplier_code'], unique=False)
