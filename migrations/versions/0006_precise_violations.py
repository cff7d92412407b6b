"""precise violations

Regimes become a table (``regime``), which each provision's ``regime`` names (the one
regime so far, "UNSC DPRK", becomes ``unsc-dprk``). Provisions gain the day they came into
force, the provision that superseded them and the condition under which they apply
(NULL: outright), and may cover materiel types (``provision_materiel``) as well as
categories. A violation names a provision or, asserted by a source that names none, a
regime (``regime_id``).

Existing rows survive: provisions keep their ids (the reference data fills the new
columns at the next ``sanctrack.connect()``), violations keep their provision.

Both directions forget the seeded reference data's checksum (``seed_state``), so that the
next ``sanctrack.connect()`` writes the reference data again into the changed tables.

Downgrading refuses while regime-level violations exist (revision 0004 cannot hold them).

On SQLite, batch mode rebuilds the provision table: with foreign keys on, dropping the old
table would delete the provisions' categories (ON DELETE CASCADE) and fail on the
violations: migrate with ``sanctrack.connect()``, which switches foreign keys off.

Revision ID: 0006
Revises: 0005 (it reads nothing of 0005's: it does not touch the source tables)
Create Date: 2026-12-01 12:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: The regime names of revision 0004's provisions, and the ids they become.
REGIME_IDS = {'UNSC DPRK': 'unsc-dprk'}


def _refuse_cascading_rebuild() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite' or not bind.exec_driver_sql('PRAGMA foreign_keys').scalar():
        return
    held = bind.exec_driver_sql(
        'SELECT (SELECT COUNT(*) FROM violation) + (SELECT COUNT(*) FROM provision_category)'
    ).scalar()
    if held:
        raise RuntimeError(
            "Revision 0006 rebuilds the provision table, which on SQLite with foreign keys on "
            "would delete the provisions' categories and fail on their violations: migrate "
            "with sanctrack.connect() (or `sanctrack init`), which switches foreign keys off "
            "while it migrates."
        )


def upgrade() -> None:
    _refuse_cascading_rebuild()
    op.create_table(
        'regime',
        sa.Column('id', sa.String(length=100), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('verified_from', sa.Text(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_regime')),
    )
    bind = op.get_bind()
    regime = sa.table('regime', sa.column('id'), sa.column('name'))
    provision = sa.table('provision', sa.column('regime'))
    names = bind.execute(sa.select(provision.c.regime).distinct()).scalars().all()
    for name in sorted(names):
        new_id = REGIME_IDS.get(name, name)
        bind.execute(sa.insert(regime).values(id=new_id, name=name))
        if new_id != name:
            bind.execute(
                sa.update(provision).where(provision.c.regime == name).values(regime=new_id)
            )

    with op.batch_alter_table('provision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_force', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('in_force_verified_from', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('applies_if', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('superseded_by', sa.String(length=100), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_provision_regime_regime'), 'regime', ['regime'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_provision_superseded_by_provision'), 'provision', ['superseded_by'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_provision_not_own_successor'), 'superseded_by IS NULL OR superseded_by <> id')

    op.create_table(
        'provision_materiel',
        sa.Column('provision_id', sa.String(length=100), nullable=False),
        sa.Column('materiel_slug', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['materiel_slug'], ['materiel_type.slug'], name=op.f('fk_provision_materiel_materiel_slug_materiel_type')),
        sa.ForeignKeyConstraint(['provision_id'], ['provision.id'], name=op.f('fk_provision_materiel_provision_id_provision'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('provision_id', 'materiel_slug', name=op.f('pk_provision_materiel')),
    )

    with op.batch_alter_table('violation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('regime_id', sa.String(length=100), nullable=True))
        batch_op.alter_column('provision_id', existing_type=sa.String(length=100), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_violation_regime_id_regime'), 'regime', ['regime_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_violation_regime_id'), ['regime_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_violation_transfer_id_regime_id_source_id'), ['transfer_id', 'regime_id', 'source_id'])
        batch_op.create_check_constraint(batch_op.f('ck_violation_provision_or_regime'), '(provision_id IS NULL) <> (regime_id IS NULL)')
        batch_op.create_check_constraint(batch_op.f('ck_violation_regime_asserted'), 'regime_id IS NULL OR source_id IS NOT NULL')
    op.execute("DELETE FROM seed_state")  # the next connect() fills the new columns and tables


def _refuse_regime_level_violations() -> None:
    held = op.get_bind().execute(
        sa.text('SELECT COUNT(*) FROM violation WHERE regime_id IS NOT NULL')
    ).scalar()
    if held:
        raise RuntimeError(
            "Cannot downgrade below revision 0006: revision 0004 cannot hold violations of a "
            f"regime that name no provision ({held}). Remove them first (reload the datasets "
            "without them)."
        )


def downgrade() -> None:
    _refuse_cascading_rebuild()
    _refuse_regime_level_violations()
    with op.batch_alter_table('violation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_violation_regime_asserted'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_violation_provision_or_regime'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_violation_transfer_id_regime_id_source_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_violation_regime_id'))
        batch_op.drop_constraint(batch_op.f('fk_violation_regime_id_regime'), type_='foreignkey')
        batch_op.alter_column('provision_id', existing_type=sa.String(length=100), nullable=False)
        batch_op.drop_column('regime_id')

    op.drop_table('provision_materiel')

    with op.batch_alter_table('provision', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_provision_not_own_successor'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_provision_superseded_by_provision'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_provision_regime_regime'), type_='foreignkey')
        batch_op.drop_column('superseded_by')
        batch_op.drop_column('applies_if')
        batch_op.drop_column('in_force_verified_from')
        batch_op.drop_column('in_force')

    op.execute(
        "UPDATE provision SET regime = (SELECT name FROM regime WHERE regime.id = provision.regime)"
    )
    op.drop_table('regime')
    op.execute("DELETE FROM seed_state")
