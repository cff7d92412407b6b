"""Sanctions regimes: the set of provisions a source may say was breached without naming one."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlmodel import Field

from sanctrack.models.base import Model


class Regime(Model, table=True):
    """A sanctions regime (e.g. ``unsc-dprk``); every provision belongs to one."""

    id: str = Field(sa_type=String(100), primary_key=True)
    name: str = Field(sa_type=String(200))
    verified_from: str | None = Field(default=None, sa_type=Text)
    note: str | None = Field(default=None, sa_type=Text)
