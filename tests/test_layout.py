"""The house's floors: an app imports only the apps below it, and none imports the project package."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ["core", "categories", "packages", "grids", "search", "fetchers", "mirror", "apiv3"]


def imported_apps(path):
    """The first-party top-level packages ``path`` imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & {*FLOORS, "djpackages"}


@pytest.mark.parametrize("app", FLOORS)
def test_an_app_imports_only_the_apps_below_it(app):
    allowed = set(FLOORS[: FLOORS.index(app) + 1])
    for path in (ROOT / app).rglob("*.py"):
        assert imported_apps(path) <= allowed, f"{path.relative_to(ROOT)} imports {imported_apps(path) - allowed}"

