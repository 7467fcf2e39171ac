"""The package's layout is its data path: sessions -> drafting -> pdf -> archive -> compare -> index -> search, then the
use cases, then the web page, the demo and the command line. A module imports only from its own stage or
from stages before it, at its top (an import inside a function must not hide a cycle), and no two modules
import each other, directly or through others."""
import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
FOUNDATION = ("errors", "vocab", "fsutil", "locks", "workspace", "translit", "access", "csvsafe", "__init__")
STAGES = ["sessions", "drafting", "pdf", "archive", "compare", "index", "search", "usecases", "web", "demo", "cli"]
# Where each stage may reach: its own modules, the foundation, and the stages listed here.
MAY_IMPORT = {
    "sessions": [], "drafting": ["sessions"], "pdf": [], "archive": ["sessions", "drafting", "pdf"],
    "compare": ["sessions", "drafting", "pdf", "archive"],
    "index": ["sessions", "archive"], "search": ["sessions", "archive", "compare", "index"],
    "usecases": ["sessions", "drafting", "pdf", "archive", "compare", "index", "search"],
    "web": ["sessions", "drafting", "archive", "compare", "index", "search", "usecases"],
    "demo": ["sessions", "drafting", "pdf", "archive", "compare", "index", "search", "usecases"],
    "cli": STAGES,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> str:
    part = module.split(".")[1] if "." in module else "__init__"
    if part == "__main__":           # python -m pipeline: the command line
        return "cli"
    return "foundation" if part in FOUNDATION else part


def imports(path: Path):
    """(imported module, inside a function?) for every import of our own package in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.ImportFrom):
                base = package[: len(package) - child.level + 1] if child.level else []
                target = ".".join(base + ([child.module] if child.module else []))
                if target.split(".")[0] == "pipeline":
                    for alias in child.names:
                        candidate = f"{target}.{alias.name}"
                        is_module = any((PACKAGE.parent / (candidate.replace(".", "/") + suffix)).exists()
                                        for suffix in (".py", "/__init__.py"))
                        found.append((candidate if is_module else target, nested))
            elif isinstance(child, ast.Import):
                found.extend((alias.name, nested) for alias in child.names if alias.name.startswith("pipeline"))
            visit(child, nested)

    visit(tree, False)
    return found


def graph():
    edges = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        edges[module_name(path)] = imports(path)
    return edges


def test_the_package_lists_its_stages():
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert folders == sorted(STAGES)


def test_imports_point_down_the_data_path():
    wrong = []
    for module, targets in graph().items():
        stage = stage_of(module)
        for target, _ in targets:
            other = stage_of(target)
            if other in ("foundation", stage):
                continue
            if stage == "foundation" or other not in MAY_IMPORT.get(stage, []):
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_no_import_of_our_own_modules_inside_a_function():
    # The command line alone loads each command group's library when the command runs (start-up time of
    # 'taskforce --help'); everywhere else an import inside a function would only hide a cycle.
    inside = [f"{module} imports {target} inside a function"
              for module, targets in graph().items() for target, nested in targets
              if nested and stage_of(module) != "cli"]
    assert inside == []


def test_no_import_cycle():
    edges = {module: {target for target, _ in targets if target != module} for module, targets in graph().items()}
    # a package's __init__ re-exporting its modules is its public face, not a cycle of theirs
    def parent_face(module, target):
        return module.startswith(target + ".")
    cycles, state = [], {}

    def walk(node, trail):
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if target not in edges or parent_face(node, target):
                continue
            if state.get(target) == "open":
                cycles.append(" -> ".join(trail[trail.index(target):] + [target]))
            elif target not in state:
                walk(target, trail + [target])
        state[node] = "done"

    for module in sorted(edges):
        if module not in state:
            walk(module, [module])
    assert cycles == []


def test_no_module_is_over_about_400_lines():
    sizes = {str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
             for path in PACKAGE.rglob("*.py")}
    assert {name: size for name, size in sizes.items() if size > 420} == {}


def test_the_taskforce_script_is_not_run_again_in_each_parser_child(tmp_path):
    """multiprocessing runs a plain script again in every forkserver child (importing the whole CLI there, ~0.4 s
    a file); the `taskforce` script declares itself pipeline.__main__, which children skip."""
    script = tmp_path / "taskforce"
    script.write_text("import sys\nfrom pipeline.cli import main\nsys.argv = ['taskforce', '--version']\n"
                      "try:\n    main()\nexcept SystemExit:\n    pass\n"
                      "from multiprocessing import spawn\ndata = spawn.get_preparation_data('child')\n"
                      "print(data.get('init_main_from_name'), data.get('init_main_from_path'))\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True,
                            cwd=PACKAGE.parent)
    assert result.stdout.splitlines()[-1] == "pipeline.__main__ None"


def _modules_loaded_by(tmp_path, *arguments) -> set[str]:
    script = tmp_path / "taskforce"
    script.write_text(f"import sys\nfrom pipeline.cli import main\nsys.argv = ['taskforce', *{list(arguments)!r}]\n"
                      "try:\n    main()\nexcept SystemExit:\n    pass\n"
                      "print(' '.join(sorted(sys.modules)))\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True,
                            cwd=PACKAGE.parent)
    return set(result.stdout.splitlines()[-1].split())


def test_help_imports_no_command_module_and_a_command_only_its_own(tmp_path):
    """Start-up time: `taskforce --help` lists every command without importing their modules; a command
    imports its own module, not the others (the archive, drafting, the demo, the web server)."""
    heavy = {"pipeline.cli.archive", "pipeline.cli.drafting", "pipeline.cli.demo", "pipeline.cli.web",
             "pipeline.cli.sessions", "pipeline.cli.search", "pipeline.usecases", "pipeline.drafting", "whoosh"}
    assert _modules_loaded_by(tmp_path, "--help") & heavy == set()
    loaded = _modules_loaded_by(tmp_path, "search", "--help")
    assert "pipeline.cli.search" in loaded
    assert loaded & heavy == {"pipeline.cli.search"}
