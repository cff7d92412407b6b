"""States (ISO 3166-1) and their names in many languages."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, String
from sqlmodel import Field

from sanctrack.models.base import Model

#: The code of the unknown party (SIPRI records "unknown" suppliers and recipients).
UNKNOWN_STATE = "XXX"


class StateBase(Model):
    code: str = Field(sa_type=String(3), primary_key=True, description="ISO 3166-1 alpha-3")
    alpha2: str | None = Field(default=None, sa_type=String(2), unique=True)
    numeric: str | None = Field(default=None, sa_type=String(3))
    name: str = Field(sa_type=String(200), description="English short name")
    is_iso: bool = Field(default=True, description="False for the unknown party XXX")


class State(StateBase, table=True):
    __table_args__ = (CheckConstraint("length(code) = 3", name="code_length"),)


class StateName(Model, table=True):
    """One name of a state in one language; ``lang`` is 'und' for language-less aliases."""

    __tablename__ = "state_name"

    state_code: str = Field(
        sa_column=Column(String(3), ForeignKey("state.code", ondelete="CASCADE"), primary_key=True)
    )
    lang: str = Field(sa_type=String(16), primary_key=True)
    name: str = Field(sa_type=String(200), primary_key=True)
    kind: str = Field(sa_type=String(20))
