"""fixtures/schema.json is generated from the pydantic models and kept in sync."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from sanctrack.fixture.schema import json_schema
from sanctrack.resources import data_dir

SCHEMA = data_dir("fixtures") / "schema.json"
REGENERATE = (
    'python -c "import json; from sanctrack.fixture.schema import json_schema; '
    "open('fixtures/schema.json', 'w').write(json.dumps(json_schema(), indent=2, "
    "ensure_ascii=False) + '\\n')\""
)


def test_schema_file_matches_the_models() -> None:
    committed = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert committed == json_schema(), f"fixtures/schema.json is stale; run: {REGENERATE}"


@pytest.mark.parametrize("name", ["msmt-2025-05-dprk-russia.yaml", "nato-2024-10-28.yaml"])
def test_bundled_fixtures_follow_the_schema(name: str) -> None:
    document = yaml.safe_load((data_dir("fixtures") / name).read_text(encoding="utf-8"))
    as_json = json.loads(json.dumps(document, default=str))  # dates as ISO text, as in JSON
    jsonschema.validate(as_json, json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_schema_rejects_a_quantity_in_words(tmp_path: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    bad = {
        "dataset": {"id": "d", "title": "t", "version": "1"},
        "transfers": [
            {
                "id": "t",
                "supplier": "PRK",
                "recipient": "RUS",
                "materiel": "troops",
                "period": "2024",
                "claims": [{"source": "s", "quantity": {"up_to": "nine million"}}],
            }
        ],
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
