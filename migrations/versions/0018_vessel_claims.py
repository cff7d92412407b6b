"""vessel claims

Table vessel_claim: the sources that describe a vessel (its names, flags, type,
deadweight or IMO number), each with where in it, how credible and its words, as
movement_claim holds a movement's (sanctrack.models.vessel_claim). A vessel written
before has none. Nothing stored changes.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 07:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0018'
down_revision: Union[str, None] = '0017'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('vessel_claim',
    sa.Column('page', sa.String(length=50), nullable=True),
    sa.Column('paragraph', sa.String(length=50), nullable=True),
    sa.Column('figure', sa.String(length=50), nullable=True),
    sa.Column('credibility', sa.SmallInteger(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vessel_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=100), nullable=False),
    sa.CheckConstraint('credibility BETWEEN 1 AND 6', name=op.f('ck_vessel_claim_credibility')),
    sa.CheckConstraint('position >= 0', name=op.f('ck_vessel_claim_position')),
    sa.ForeignKeyConstraint(['vessel_id'], ['vessel.id'], name=op.f('fk_vessel_claim_vessel_id_vessel'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_vessel_claim_source_id_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vessel_claim')),
    sa.UniqueConstraint('vessel_id', 'position', name=op.f('uq_vessel_claim_vessel_id_position'))
    )
    with op.batch_alter_table('vessel_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vessel_claim_source_id'), ['source_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('vessel_claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vessel_claim_source_id'))
    op.drop_table('vessel_claim')
