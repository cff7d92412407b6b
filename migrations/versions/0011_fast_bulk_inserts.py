"""fast bulk inserts

Two changes that make a bulk load cheaper per row, enforcing the same rules:

- Every CHECK that a column takes one of a list of values is written as an OR chain
  (``(status = 'reported' OR status = 'confirmed' ...)``) instead of an ``IN (...)`` list,
  which SQLite builds again for every row an executemany inserts. NULL passes both forms.
  Tables transfer, claim, source, provision and movement. On SQLite, batch mode rebuilds
  them; the browse_claims view (0009) is dropped first and created again after, and the
  triggers of 0008 are created again (a rebuilt table loses its triggers).
- A period's precision checks (transfer, movement) also refuse a day without its
  precision: ``x_precision IN (...)`` let a NULL precision pass (a CHECK passes on NULL).
  The loader never wrote one; the downgrade restores the old text.
- On SQLite, the forget triggers of 0008 that fire for one row compare the transfer id
  with ``=`` instead of ``IN (SELECT NEW.transfer_id)``, a subquery SQLite materialised
  for every claim inserted (about three quarters of a claim's insert time). They forget
  and note the same transfers. PostgreSQL's triggers are unchanged.

Rows are copied as they are: every stored row meets the new checks, which are the old.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 18:30:00.000000

"""

from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: Union[str, None] = "0010"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

STATUSES = ("reported", "confirmed", "denied", "pledged", "planned")
PRECISIONS = ("year", "month", "day")
QUALIFIERS = ("exact", "about", "at_least", "more_than", "up_to", "between", "unquantified")
MEASURES = ("flow", "cumulative")
SOURCE_KINDS = (
    "report",
    "official_statement",
    "news_article",
    "intelligence_assessment",
    "dataset",
    "other",
)
RELIABILITIES = ("A", "B", "C", "D", "E", "F")
PROVISION_KINDS = ("embargo", "cap", "ban")
DIRECTIONS = ("to_target", "from_target", "both")
MOVEMENT_KINDS = ("port_call", "voyage", "flight", "ship_to_ship")
AIS_STATUSES = ("transmitting", "dark", "spoofed")


def _precision(end: str) -> tuple[str, str, str, tuple[str, ...]]:
    return (
        f"{end}_precision",
        f"(period_{end} IS NULL AND {end}_precision IS NULL) OR (period_{end} IS NOT NULL AND {{}})",
        f"{end}_precision",
        PRECISIONS,
    )


#: Per table: (check name, its text with {} where the value list goes, column, values).
CHECKS: dict[str, list[tuple[str, str, str, tuple[str, ...]]]] = {
    "transfer": [
        ("status", "{}", "status", STATUSES),
        _precision("start"),
        _precision("end"),
    ],
    "claim": [
        ("qualifier", "{}", "qualifier", QUALIFIERS),
        ("measure", "{}", "measure", MEASURES),
    ],
    "source": [
        ("kind", "{}", "kind", SOURCE_KINDS),
        ("reliability", "{}", "reliability", RELIABILITIES),
        ("effective_reliability", "{}", "effective_reliability", RELIABILITIES),
    ],
    "provision": [
        ("kind", "{}", "kind", PROVISION_KINDS),
        ("dir", "direction IS NULL OR {}", "direction", DIRECTIONS),
        (
            "cap_fields",
            "(kind = 'cap') = (cap_amount IS NOT NULL AND cap_unit_slug IS NOT NULL "
            "AND cap_period IS NOT NULL AND {})",
            "cap_period",
            ("year",),
        ),
    ],
    "movement": [
        ("kind", "{}", "kind", MOVEMENT_KINDS),
        ("ais", "ais_status IS NULL OR {}", "ais_status", AIS_STATUSES),
        _precision("start"),
        _precision("end"),
    ],
}


def _in_list(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _or_chain(column: str, values: tuple[str, ...]) -> str:
    return "(" + " OR ".join(f"{column} = {v!r}" for v in values) + ")"


# -- the SQLite triggers (0008's, and this revision's) ------------------------------------

SOURCE_COLUMNS = (
    "reliability",
    "effective_reliability",
    "published",
    "published_first",
    "published_last",
)
TRANSFER_COLUMNS = (
    "period_start",
    "period_end",
    "dataset_id",
    "supplier_code",
    "recipient_code",
    "materiel_slug",
    "status",
)
SOURCE_CLAIMS = "SELECT transfer_id FROM claim WHERE source_id = NEW.id"
#: (table, event, watched columns, 0008's "IN (...)" subquery, this revision's condition on
#: a column named {} - the transfer id).
TRIGGERS = {
    "claim_insert": ("claim", "INSERT", None, "SELECT NEW.transfer_id", "{} = NEW.transfer_id"),
    "claim_update": (
        "claim",
        "UPDATE",
        None,
        "SELECT OLD.transfer_id UNION SELECT NEW.transfer_id",
        "({0} = OLD.transfer_id OR {0} = NEW.transfer_id)",
    ),
    "claim_delete": ("claim", "DELETE", None, "SELECT OLD.transfer_id", "{} = OLD.transfer_id"),
    "transfer_update": ("transfer", "UPDATE", TRANSFER_COLUMNS, "SELECT NEW.id", "{} = NEW.id"),
    "source_update": (
        "source",
        "UPDATE",
        SOURCE_COLUMNS,
        SOURCE_CLAIMS,
        f"{{}} IN ({SOURCE_CLAIMS})",
    ),
}


def _create_sqlite_triggers(fast: bool) -> None:
    for name, (table, event, columns, subquery, condition) in TRIGGERS.items():
        of = f" OF {', '.join(columns)}" if columns else ""
        when = " WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns) if columns else ""
        if fast:
            year, estimated, noted = (
                condition.format(c) for c in ("transfer_id", "transfer_id", "id")
            )
        else:
            year = estimated = f"transfer_id IN ({subquery})"
            noted = f"id IN ({subquery})"
        # Only transfers that still exist (a claim deleted with its transfer leaves none).
        op.execute(
            f"CREATE TRIGGER sanctrack_forget_{name} AFTER {event}{of} ON {table}{when} BEGIN "
            f"DELETE FROM year_estimate WHERE {year}; "
            f"DELETE FROM estimated_transfer WHERE {estimated}; "
            f"INSERT OR IGNORE INTO unestimated_transfer (transfer_id) SELECT id FROM transfer "
            f"WHERE {noted}; END"
        )
    op.execute(
        "CREATE TRIGGER sanctrack_unnote_transfer_delete AFTER DELETE ON transfer "
        "BEGIN DELETE FROM unestimated_transfer WHERE transfer_id = OLD.id; END"
    )


def _drop_sqlite_triggers() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS sanctrack_forget_{name}")
    op.execute("DROP TRIGGER IF EXISTS sanctrack_unnote_transfer_delete")


def _refuse_cascading_rebuild() -> None:
    bind = op.get_bind()
    if not bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        return
    held = bind.exec_driver_sql(
        "SELECT (SELECT COUNT(*) FROM claim) + (SELECT COUNT(*) FROM provision_category) "
        "+ (SELECT COUNT(*) FROM movement) + (SELECT COUNT(*) FROM source)"
    ).scalar()
    if held:
        raise RuntimeError(
            "Revision 0011 rebuilds the transfer, claim, source, provision and movement "
            "tables, which on SQLite with foreign keys on would delete the rows that refer "
            "to them: migrate with sanctrack.connect() (or `sanctrack init`), which switches "
            "foreign keys off while it migrates."
        )


def _rewrite_checks(fast: bool) -> None:
    old, new = (_in_list, _or_chain) if fast else (_or_chain, _in_list)
    sqlite = op.get_bind().dialect.name == "sqlite"
    view = None
    if sqlite:
        _refuse_cascading_rebuild()
        view = (
            op.get_bind()
            .exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'browse_claims'"
            )
            .scalar()
        )
        if view is not None:
            op.execute("DROP VIEW browse_claims")
        _drop_sqlite_triggers()
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, recreate="always" if sqlite else "auto") as batch_op:
            for name, text, column, values in checks:
                assert old(column, values) != new(column, values)
                chain = new(column, values)
                if fast and column.endswith("_precision"):  # NULL passed "IN (...)" too
                    chain = f"{column} IS NOT NULL AND {chain}"
                batch_op.drop_constraint(batch_op.f(f"ck_{table}_{name}"), type_="check")
                batch_op.create_check_constraint(batch_op.f(f"ck_{table}_{name}"), text.format(chain))
    if sqlite:
        _create_sqlite_triggers(fast)
        if view is not None:
            op.execute(view)


def upgrade() -> None:
    _rewrite_checks(fast=True)


def downgrade() -> None:
    _rewrite_checks(fast=False)
