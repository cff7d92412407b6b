"""Every package sanctrack imports is one `pip install sanctrack` brings, or one of its
extras (imported lazily, with a clear message when missing): never a test-only package."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: extras that are not for users of the library
NOT_FOR_USERS = {"test", "bench"}


def _name(requirement: str) -> str:
    found = re.match(r"[A-Za-z0-9_.-]+", requirement)
    assert found is not None, requirement
    return found[0].lower().replace("_", "-")


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_every_import_is_a_dependency_or_an_extra() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    allowed = {_name(r) for r in project["dependencies"]}
    for extra, requirements in project["optional-dependencies"].items():
        if extra not in NOT_FOR_USERS:
            allowed |= {_name(r) for r in requirements}
    distributions = packages_distributions()
    missing = {}
    for path in (ROOT / "sanctrack").rglob("*.py"):
        if path.relative_to(ROOT).parts[:2] == ("sanctrack", "statenames"):
            continue  # regenerates seeds/states.json: a maintainer's tool, run with [test]
        for module in _imported(path) - set(sys.stdlib_module_names) - {"sanctrack"}:
            names = {_name(d) for d in distributions.get(module, [module])}
            if not names & allowed:
                missing[module] = str(path.relative_to(ROOT))
    assert missing == {}, f"imported but not a dependency nor a user extra: {missing}"
