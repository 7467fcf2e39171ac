"""The package's layout is its data path: sessions -> drafting -> pdf -> archive -> compare -> index -> search, then the
use cases, then the web page, the demo and the command line. A module imports only from its own stage or
from stages before it, at its top (an import inside a function must not hide a cycle), and no two modules
import each other, directly or through others."""
import ast
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
FOUNDATION = ("errors", "vocab", "bilingual", "cache", "fsutil", "locks", "workspace", "translit", "access", "csvsafe", "__init__")
STAGES = ["sessions", "drafting", "pdf", "archive", "compare", "index", "search", "usecases", "web", "demo", "cli"]
# Where each stage may reach: its own modules, the foundation, and the stages listed here.
MAY_IMPORT = {
    "sessions": [], "drafting": ["sessions"], "pdf": [], "archive": ["sessions", "drafting", "pdf"],
    "compare": ["sessions", "drafting", "pdf", "archive"],
    "index": ["sessions", "archive"], "search": ["sessions", "archive", "compare", "index"],
    "usecases": ["sessions", "drafting", "pdf", "archive", "compare", "index", "search"],
    "web": ["sessions", "drafting", "pdf", "archive", "compare", "index", "search", "usecases"],
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


FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
ERROR_CALL = re.compile(r"(Error|Rejected|Finding)$")


def _messages_naming_a_flag(source: str, name: str) -> list[str]:
    """The string constants of the error messages of module ``source`` (what a raise or an error's constructor
    is given) that name a command-line option."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            parts = [node.exc]
        elif isinstance(node, ast.Call) and ERROR_CALL.search(getattr(node.func, "id", getattr(node.func, "attr", ""))):
            parts = [*node.args, *(keyword.value for keyword in node.keywords)]
        else:
            continue
        for part in parts:
            for sub in ast.walk(part):
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and FLAG.search(sub.value):
                    found.add(f"{name}:{sub.lineno}: {FLAG.findall(sub.value)}")
    return sorted(found)


def test_no_error_message_outside_the_command_line_names_an_option():
    """The library names a field by its data path (``from``, ``parties``); the command line renders it as its
    option (pipeline/cli/errors.py), the web page as the label of its form field."""
    found = [line for path in sorted(PACKAGE.rglob("*.py")) if path.relative_to(PACKAGE).parts[0] != "cli"
             for line in _messages_naming_a_flag(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))]
    assert found == []


def test_the_flag_check_finds_a_flag_in_an_error_message():
    text = ('raise ValidationError(f"--sort must be one of {x}")\nerr = PdfRejected("give --password")\n'
            'command = ["soffice", "--headless"]\nraise ValidationError("value.choice", field="sort")\n')
    assert _messages_naming_a_flag(text, "sample.py") == ["sample.py:1: ['--sort']", "sample.py:2: ['--password']"]


# What a front end (the command line, the web page) may take from the search, index and drafting stages itself:
# the request it fills in and pure helpers of wording; every call that reads or writes goes through the use
# cases (pipeline/usecases).
FRONT_END_MAY_TAKE = {"pipeline.search.SearchRequest", "pipeline.search.labels.sector_name",
                      "pipeline.search.query.label_matcher", "pipeline.drafting.TEMPLATE_NAMES",
                      "pipeline.search.export.write_csv"}     # the one CSV of hits, the same bytes from both faces


def test_the_front_ends_call_the_use_cases_not_the_stages():
    taken = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if stage_of(module_name(path)) not in ("cli", "web"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        here = module_name(path).split(".")
        package = here if path.name == "__init__.py" else here[:-1]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                names = [f"{target}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            taken += [f"{module_name(path)} takes {name}" for name in names
                      if stage_of(name) in ("search", "index", "drafting") and name not in FRONT_END_MAY_TAKE]
    assert taken == []


# --- one model per concept ---------------------------------------------------------------------------------
SHARED_VOCABULARIES = ("LANGUAGES", "COUNTRIES", "DOCUMENT_TYPES", "CONFIDENTIALITY_LEVELS", "SORTS", "CSV_COLUMNS")
TEMPLATES = PACKAGE / "web" / "templates"


def _constant_strings(tree) -> list[ast.Constant]:
    """The string constants of a module, without its docstrings, dictionary keys and subscripts (a key names
    a thing, such as a count of restricted documents; it does not state a level)."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body \
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            skipped.add(id(node.body[0].value))
        elif isinstance(node, ast.Dict):
            skipped.update(id(key) for key in node.keys if key is not None)
        elif isinstance(node, ast.Subscript):
            skipped.add(id(node.slice))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in skipped]


def raw_confidentiality_levels(package: Path = PACKAGE) -> list[str]:
    """Where a confidentiality level is spelt out as a string outside access.py (which answers what a level lets
    whom see) and vocab.py (which names the levels): in the code, and compared in a template."""
    from pipeline.vocab import CONFIDENTIALITY_LEVELS

    found = []
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package).as_posix() in ("access.py", "vocab.py"):
            continue
        for node in _constant_strings(ast.parse(path.read_text(encoding="utf-8"))):
            if node.value in CONFIDENTIALITY_LEVELS:
                found.append(f"{path.relative_to(package)}:{node.lineno}: {node.value!r}")
    levels = "|".join(CONFIDENTIALITY_LEVELS)
    for path in sorted((package / "web" / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(rf"""["']({levels})["']""", line):
                found.append(f"{path.relative_to(package)}:{number}: {line.strip()}")
    return found


def second_vocabularies(package: Path = PACKAGE) -> list[str]:
    """Where a shared vocabulary of vocab.py is defined again: a name of vocab.py assigned, or a name assigned
    a literal with the same values, anywhere but in vocab.py."""
    from pipeline import vocab

    values = {tuple(getattr(vocab, name)): name for name in SHARED_VOCABULARIES}
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package).as_posix() == "vocab.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [target.id for target in targets if isinstance(target, ast.Name)]
                literal = None
                if isinstance(node.value, (ast.Tuple, ast.List)) and all(
                        isinstance(item, ast.Constant) for item in node.value.elts):
                    literal = tuple(item.value for item in node.value.elts)
                if any(name in SHARED_VOCABULARIES for name in names) or literal in values:
                    found.append(f"{path.relative_to(package)}:{node.lineno}: {', '.join(names)}")
    return found


def test_only_access_and_vocab_spell_out_a_confidentiality_level():
    assert raw_confidentiality_levels() == []


def test_each_shared_vocabulary_is_defined_once_in_vocab():
    assert second_vocabularies() == []


def test_the_two_checks_find_what_main_had(tmp_path):
    """The checks above on a package with the copies the review found (issue 22): each is reported."""
    package = tmp_path / "pipeline"
    (package / "web" / "templates").mkdir(parents=True)
    (package / "index").mkdir()
    (package / "index" / "writer.py").write_text('"""Docstring: public documents."""\n'
                                                 'def add(values):\n    return values["confidentiality"] == "public"\n'
                                                 'COUNTS = {"restricted": 0}\n', encoding="utf-8")
    (package / "web" / "i18n.py").write_text('LANGUAGES = ("it", "ru")\nCOLUMNS = ' + repr(list(
        __import__("pipeline.vocab", fromlist=["CSV_COLUMNS"]).CSV_COLUMNS)) + "\n", encoding="utf-8")
    (package / "web" / "templates" / "hit.html").write_text(
        '{% if hit.confidentiality != "public" %}x{% endif %}\n', encoding="utf-8")
    assert raw_confidentiality_levels(package) == [
        "index/writer.py:3: 'public'", 'web/templates/hit.html:1: {% if hit.confidentiality != "public" %}x{% endif %}']
    assert second_vocabularies(package) == ["web/i18n.py:1: LANGUAGES", "web/i18n.py:2: COLUMNS"]
