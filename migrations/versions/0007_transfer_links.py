"""transfer links

Table transfer_link: reviewed judgements that two transfers are the same physical
transfer (same_as) or different ones (distinct_from), declared by a dataset and naming
both transfers by (dataset, key). No data to carry over: nothing declared links before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'transfer_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dataset_id', sa.String(length=100), nullable=False),
        sa.Column('kind', sa.String(length=13), nullable=False),
        sa.Column('a_dataset', sa.String(length=100), nullable=False),
        sa.Column('a_key', sa.String(length=100), nullable=False),
        sa.Column('b_dataset', sa.String(length=100), nullable=False),
        sa.Column('b_key', sa.String(length=100), nullable=False),
        sa.CheckConstraint("kind = 'same_as' OR kind = 'distinct_from'", name=op.f('ck_transfer_link_kind')),
        sa.CheckConstraint('a_dataset < b_dataset OR (a_dataset = b_dataset AND a_key < b_key)', name=op.f('ck_transfer_link_ordered')),
        sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], name=op.f('fk_transfer_link_dataset_id_dataset'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_link')),
        sa.UniqueConstraint('dataset_id', 'kind', 'a_dataset', 'a_key', 'b_dataset', 'b_key', name=op.f('uq_transfer_link_judgement')),
    )
    with op.batch_alter_table('transfer_link', schema=None) as batch_op:
        batch_op.create_index('ix_transfer_link_a', ['a_dataset', 'a_key'], unique=False)
        batch_op.create_index('ix_transfer_link_b', ['b_dataset', 'b_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfer_link_dataset_id'), ['dataset_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('transfer_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfer_link_dataset_id'))
        batch_op.drop_index('ix_transfer_link_b')
        batch_op.drop_index('ix_transfer_link_a')
    op.drop_table('transfer_link')
