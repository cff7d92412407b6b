"""designation dates of month or year precision

A source often says only "designated in March 2018". ``designation.listed_as`` keeps the
listing date as given (EDTF of day, month or year precision, as normalised); ``listed``
stays the first day it may mean, for ordering. Existing rows are of day precision: their
``listed_as`` is their day. The downgrade refuses a designation of month or year
precision, which the older schema cannot hold.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 18:50:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0015'
down_revision: Union[str, None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _day_text() -> str:
    if op.get_bind().dialect.name == "postgresql":
        return "to_char(listed, 'YYYY-MM-DD')"
    return "listed"  # SQLite keeps a date as its ISO text


def upgrade() -> None:
    with op.batch_alter_table('designation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('listed_as', sa.String(length=11), nullable=True))
    op.execute(f"UPDATE designation SET listed_as = {_day_text()}")
    with op.batch_alter_table('designation', schema=None) as batch_op:
        batch_op.alter_column('listed_as', existing_type=sa.String(length=11), nullable=False)


def downgrade() -> None:
    partial = op.get_bind().execute(
        sa.text(f"SELECT COUNT(*) FROM designation WHERE listed_as <> {_day_text()}")
    ).scalar()
    if partial:
        raise RuntimeError(
            f"{partial} designation(s) have a listing date of month or year precision, which "
            "the schema before 0015 cannot hold: remove those datasets first"
        )
    with op.batch_alter_table('designation', schema=None) as batch_op:
        batch_op.drop_column('listed_as')
