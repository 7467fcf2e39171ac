"""The stages import down the data path, never back: the index never imports the search, and neither
imports the web page or the command line."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
FORBIDDEN = {"index": ("search", "web", "cli", "demo", "usecases"), "search": ("web", "cli", "demo", "usecases")}


def imported_stages(path: Path) -> set[str]:
    """The pipeline sub-packages a module imports (relative or absolute), anywhere in the module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            parts = (node.module or "").split(".")
            if node.level == 2 and parts[0]:
                found.add(parts[0])
            elif node.level == 2:
                found.update(alias.name for alias in node.names)
            elif node.level == 0 and parts[0] == "pipeline" and len(parts) > 1:
                found.add(parts[1])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[1] for alias in node.names
                         if alias.name.startswith("pipeline."))
    return found


@pytest.mark.parametrize("stage", sorted(FORBIDDEN))
def test_stage_imports_point_down_the_path(stage):
    for module in sorted((PACKAGE / stage).glob("*.py")):
        wrong = imported_stages(module) & set(FORBIDDEN[stage])
        assert not wrong, f"{module.relative_to(PACKAGE)} imports {', '.join(sorted(wrong))}"


def test_no_module_of_the_index_or_search_is_long():
    for stage in FORBIDDEN:
        for module in (PACKAGE / stage).glob("*.py"):
            assert len(module.read_text(encoding="utf-8").splitlines()) <= 400, module
