"""Datasets: the unit in which findings are loaded, updated and removed."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlmodel import Field

from sanctrack.models.base import Model


class DatasetBase(Model):
    id: str = Field(sa_type=String(100), primary_key=True)
    title: str = Field(sa_type=String(500))
    version: str = Field(sa_type=String(100))
    description: str | None = Field(default=None, sa_type=Text)


class Dataset(DatasetBase, table=True):
    pass
