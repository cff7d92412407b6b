"""FollowTheMoney interoperability: carriers, ownerships, designations, movements and
transfers out as FtM entities (JSON lines), and FtM vessels, airplanes, companies,
organisations, people and ownerships in as a dataset. Needs the ``ftm`` extra;
followthemoney is imported when first used."""

from sanctrack.ftm.export import export_entities, write_entities
from sanctrack.ftm.load import FtmImport, import_entities

__all__ = ["FtmImport", "export_entities", "import_entities", "write_entities"]
