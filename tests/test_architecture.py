"""The package's shape, checked: imports point down the data path (sessions -> drafting -> pdf -> archive ->
index/search -> usecases -> demo -> web/cli), at module top, never back; no module of the archive or pdf stages
is over ~400 lines."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
# each stage may import only the stages before it (and the shared top-level modules)
ORDER = ["sessions", "drafting", "pdf", "archive", "index", "search", "usecases", "demo", "web", "cli"]
SHARED = {"errors", "workspace", "fsutil", "locks", "vocab", "access", "translit", "__version__"}
# the modules this branch owns; the others are being reshaped on other branches
CHECKED = ["archive", "pdf", "usecases"]
CHECKED_FILES = ["cli/archive.py", "cli/demo.py", "demo/build.py"]


def own_modules():
    for stage in CHECKED:
        yield from sorted((PACKAGE / stage).glob("*.py"))
    for name in CHECKED_FILES:
        yield PACKAGE / name


def imported_stages(path: Path, node: ast.ImportFrom) -> list[str]:
    """The pipeline sub-packages or top-level modules an ``from ... import`` names."""
    parts = list(path.relative_to(PACKAGE).parent.parts)
    if node.level:
        base = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
        target = base + (node.module.split(".") if node.module else [])
    elif node.module and node.module.split(".")[0] == "pipeline":
        target = node.module.split(".")[1:]
    else:
        return []
    if target:
        return [target[0]]
    return [alias.name for alias in node.names]   # "from .. import usecases"


@pytest.mark.parametrize("path", list(own_modules()), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_the_path_and_sit_at_module_top(path):
    stage = path.relative_to(PACKAGE).parts[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = set(map(id, tree.body))
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        for target in imported_stages(path, node):
            if target in SHARED or target == stage:
                assert target != stage or id(node) in top_level, (
                    f"{path.name}:{node.lineno}: an import of our own module inside a function")
                continue
            assert target in ORDER, f"{path.name}:{node.lineno}: unknown module {target}"
            assert id(node) in top_level, f"{path.name}:{node.lineno}: an import of our own module inside a function"
            assert ORDER.index(target) < ORDER.index(stage), (
                f"{path.name}:{node.lineno}: {stage} imports {target}, which comes after it on the data path")


@pytest.mark.parametrize("stage", ["archive", "pdf", "usecases"])
def test_modules_stay_small(stage):
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (PACKAGE / stage).glob("*.py")}
    assert max(sizes.values()) <= 420, sizes


def test_the_archive_modules_do_not_import_each_other_in_a_cycle():
    graph = {}
    for path in (PACKAGE / "archive").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[path.stem] = {alias.name if node.module is None else node.module.split(".")[0]
                            for node in tree.body if isinstance(node, ast.ImportFrom) and node.level == 1
                            for alias in node.names}
    for path in (PACKAGE / "pdf").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph["pdf." + path.stem] = {"pdf." + node.module for node in tree.body
                                     if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module}

    def visit(name, trail):
        assert name not in trail, f"import cycle: {' -> '.join(trail + [name])}"
        for following in graph.get(name, ()):
            visit(following, trail + [name])

    for name in graph:
        visit(name, [])


def test_the_taskforce_script_is_not_run_again_in_each_parser_child(tmp_path):
    """multiprocessing runs a plain script again in every forkserver child (importing the whole CLI there, ~0.4 s
    a file); the `taskforce` script declares itself pipeline.__main__, which children skip."""
    import subprocess
    import sys

    script = tmp_path / "taskforce"
    script.write_text("import sys\nfrom pipeline.cli import main\nsys.argv = ['taskforce', '--version']\n"
                      "try:\n    main()\nexcept SystemExit:\n    pass\n"
                      "from multiprocessing import spawn\ndata = spawn.get_preparation_data('child')\n"
                      "print(data.get('init_main_from_name'), data.get('init_main_from_path'))\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True,
                            cwd=PACKAGE.parent)
    assert result.stdout.splitlines()[-1] == "pipeline.__main__ None"
