"""source chains

A source may cite several originals (table source_cite, replacing source.cites_id); the
loader stores what each source's chains of citations resolve to: its roots (table
source_root), its effective reliability and the root of its best chain
(sanctrack.fixture.chains). ``published`` holds an EDTF date as text (a day, a month or a
year, optionally qualified), with its known span in published_first .. published_last.
An author may be a person.

Existing databases keep their data: a source's cites_id becomes its one source_cite row,
its published day becomes the text of that day and a span of that one day, and the chains
are resolved here. The triggers of revision 0004 on source are replaced: a change to what
the estimates now read of a source (its effective reliability, its published span; its
reliability and published text too) forgets the stored estimates of its claims' transfers.

Downgrading keeps each source's first citation, a published date only if it is one exact
day, and drops person authors (revision 0004 cannot hold the rest).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

FORGET = (
    "DELETE FROM year_estimate WHERE transfer_id {match}; "
    "DELETE FROM estimated_transfer WHERE transfer_id {match};"
)
SOURCE_CLAIMS = "IN (SELECT transfer_id FROM claim WHERE source_id = NEW.id)"
OLD_COLUMNS = ("reliability", "published")
NEW_COLUMNS = ("reliability", "effective_reliability", "published", "published_first", "published_last")


def _changed(columns: Sequence[str]) -> str:
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)


def _create_source_trigger(columns: Sequence[str]) -> None:
    listed = ", ".join(columns)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            f"CREATE TRIGGER sanctrack_forget_source_update AFTER UPDATE OF {listed} ON source "
            f"FOR EACH ROW WHEN ({_changed(columns)}) "
            "EXECUTE FUNCTION sanctrack_forget_source_row()"
        )
        return
    guard = _changed(columns).replace("IS DISTINCT FROM", "IS NOT")
    op.execute(
        f"CREATE TRIGGER sanctrack_forget_source_update AFTER UPDATE OF {listed} ON source "
        f"WHEN {guard} BEGIN {FORGET.format(match=SOURCE_CLAIMS)} END"
    )


def _drop_source_trigger() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    op.execute("DROP TRIGGER IF EXISTS sanctrack_forget_source_update" + (" ON source" if postgres else ""))


def _refuse_cascading_rebuild() -> None:
    """On SQLite, batch mode rebuilds the source table: with foreign keys on, dropping the
    old table would delete every author (ON DELETE CASCADE) or fail on the claims."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite' or not bind.exec_driver_sql('PRAGMA foreign_keys').scalar():
        return
    if bind.exec_driver_sql('SELECT COUNT(*) FROM source').scalar():
        raise RuntimeError(
            "Revision 0005 rebuilds the source table, which on SQLite with foreign keys on "
            "would delete its authors and break its claims: migrate with sanctrack.connect() "
            "(or `sanctrack init`), which switches foreign keys off while it migrates."
        )


def _resolve_chains() -> None:
    """Each source's roots, effective reliability and best chain's root, as the loader
    stores them (sanctrack.fixture.chains; the stored citations hold no circle)."""
    bind = op.get_bind()
    reliability = dict(bind.execute(sa.text("SELECT id, reliability FROM source")).all())
    cites: dict[str, list[str]] = {}
    for ident, cited in bind.execute(
        sa.text("SELECT source_id, cited_id FROM source_cite ORDER BY source_id, position")
    ):
        cites.setdefault(ident, []).append(cited)
    done: dict[str, tuple[str, str, frozenset[str]]] = {}
    for start in reliability:
        stack = [start]
        while stack:
            ident = stack[-1]
            waiting = [c for c in cites.get(ident, ()) if c not in done]
            if ident in done or waiting:
                stack.pop() if ident in done else stack.extend(waiting)
                continue
            stack.pop()
            cited = [done[c] for c in cites.get(ident, ())]
            if not cited:
                done[ident] = (reliability[ident], ident, frozenset((ident,)))
                continue
            effective, root = min((e, r) for e, r, _ in cited)
            roots = frozenset().union(*(rs for _, _, rs in cited))
            done[ident] = (max(reliability[ident], effective), root, roots)
    for ident, (effective, root, roots) in done.items():
        bind.execute(
            sa.text("UPDATE source SET effective_reliability = :e, root_id = :r WHERE id = :i"),
            {"e": effective, "r": root, "i": ident},
        )
        for r in sorted(roots):
            bind.execute(
                sa.text("INSERT INTO source_root (source_id, root_id) VALUES (:i, :r)"),
                {"i": ident, "r": r},
            )


def upgrade() -> None:
    _refuse_cascading_rebuild()
    _drop_source_trigger()
    op.create_table(
        'source_cite',
        sa.Column('source_id', sa.String(length=100), nullable=False),
        sa.Column('position', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('cited_id', sa.String(length=100), nullable=False),
        sa.CheckConstraint('source_id <> cited_id', name=op.f('ck_source_cite_not_self_citing')),
        sa.CheckConstraint('position >= 0', name=op.f('ck_source_cite_position')),
        sa.ForeignKeyConstraint(['cited_id'], ['source.id'], name=op.f('fk_source_cite_cited_id_source')),
        sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_source_cite_source_id_source'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('source_id', 'position', name=op.f('pk_source_cite')),
        sa.UniqueConstraint('source_id', 'cited_id', name=op.f('uq_source_cite_source_id_cited_id')),
    )
    op.create_index(op.f('ix_source_cite_cited_id'), 'source_cite', ['cited_id'], unique=False)
    op.create_table(
        'source_root',
        sa.Column('source_id', sa.String(length=100), nullable=False),
        sa.Column('root_id', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['root_id'], ['source.id'], name=op.f('fk_source_root_root_id_source')),
        sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_source_root_source_id_source'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('source_id', 'root_id', name=op.f('pk_source_root')),
    )
    op.create_index(op.f('ix_source_root_root_id'), 'source_root', ['root_id'], unique=False)
    op.execute(
        "INSERT INTO source_cite (source_id, position, cited_id) "
        "SELECT id, 0, cites_id FROM source WHERE cites_id IS NOT NULL"
    )

    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_first', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('published_last', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('effective_reliability', sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column('root_id', sa.String(length=100), nullable=True))
    op.execute(
        "UPDATE source SET published_first = published, published_last = published, "
        "effective_reliability = reliability, root_id = id"
    )
    _resolve_chains()

    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.alter_column(
            'published',
            existing_type=sa.Date(),
            type_=sa.String(length=11),
            existing_nullable=True,
            postgresql_using="to_char(published, 'YYYY-MM-DD')",
        )
        batch_op.alter_column('effective_reliability', existing_type=sa.String(length=1), nullable=False)
        batch_op.alter_column('root_id', existing_type=sa.String(length=100), nullable=False)
        batch_op.drop_constraint(batch_op.f('ck_source_not_self_citing'), type_='check')
        batch_op.drop_index(batch_op.f('ix_source_cites_id'))
        batch_op.drop_constraint(batch_op.f('fk_source_cites_id_source'), type_='foreignkey')
        batch_op.drop_column('cites_id')
        batch_op.create_index(batch_op.f('ix_source_root_id'), ['root_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_source_root_id_source'), 'source', ['root_id'], ['id'])
        batch_op.create_check_constraint(
            batch_op.f('ck_source_effective_reliability'),
            "effective_reliability IN ('A', 'B', 'C', 'D', 'E', 'F')",
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_source_no_better_than_itself'), "effective_reliability >= reliability"
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_source_published_span'),
            "(published IS NULL AND published_first IS NULL AND published_last IS NULL) OR "
            "(published IS NOT NULL AND published_first IS NOT NULL "
            "AND published_last IS NOT NULL AND published_first <= published_last)",
        )

    with op.batch_alter_table('source_author', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person', sa.Text(), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_source_author_state_or_organisation'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_source_author_one_author'),
            "(CASE WHEN state_code IS NULL THEN 0 ELSE 1 END) "
            "+ (CASE WHEN organisation IS NULL THEN 0 ELSE 1 END) "
            "+ (CASE WHEN person IS NULL THEN 0 ELSE 1 END) = 1",
        )
    _create_source_trigger(NEW_COLUMNS)


def downgrade() -> None:
    _refuse_cascading_rebuild()
    _drop_source_trigger()
    op.execute("DELETE FROM source_author WHERE person IS NOT NULL")
    with op.batch_alter_table('source_author', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_source_author_one_author'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_source_author_state_or_organisation'),
            "(state_code IS NULL) <> (organisation IS NULL)",
        )
        batch_op.drop_column('person')

    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cites_id', sa.String(length=100), nullable=True))
    # The day of a published date that is one exact day (published_first holds it as a
    # date: no CAST of text to DATE, which SQLite would read as a number).
    op.execute(
        "UPDATE source SET cites_id = (SELECT cited_id FROM source_cite "
        "WHERE source_cite.source_id = source.id AND position = 0), "
        "published_first = CASE WHEN length(published) = 10 THEN published_first END"
    )
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_source_published_span'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_source_no_better_than_itself'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_source_effective_reliability'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_source_root_id_source'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_source_root_id'))
        batch_op.drop_column('root_id')
        batch_op.drop_column('effective_reliability')
        batch_op.drop_column('published_last')
        batch_op.drop_column('published')
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.alter_column('published_first', new_column_name='published')
        batch_op.create_index(batch_op.f('ix_source_cites_id'), ['cites_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_source_cites_id_source'), 'source', ['cites_id'], ['id'])
        batch_op.create_check_constraint(
            batch_op.f('ck_source_not_self_citing'), "cites_id IS NULL OR cites_id <> id"
        )
    op.drop_index(op.f('ix_source_root_root_id'), table_name='source_root')
    op.drop_table('source_root')
    op.drop_index(op.f('ix_source_cite_cited_id'), table_name='source_cite')
    op.drop_table('source_cite')
    _create_source_trigger(OLD_COLUMNS)
