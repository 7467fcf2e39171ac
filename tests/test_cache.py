"""The one cache helper (pipeline/cache.py): values kept under a key naming their content, every cache of the
process emptied by cache.clear_all(), and no module keeping a cache of its own that clear_all cannot reach."""
import ast
import os
import threading
from pathlib import Path

import pytest

from pipeline import cache

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
# Module-level containers that are no cache, and lru_caches that keep one object per argument (a library
# loaded once, a parser per language), never something derived from a file's content.
NOT_CACHES = {
    ("fsutil.py", "_passes"): "the crash-test hook counts passes through a point",
    ("index/fastfield.py", "_RU_STOP"): "the Russian stop words, loaded once",
    ("cache.py", "_REGISTRY"): "the caches themselves", ("cache.py", "_CLEARERS"): "the memo tables' clearing",
}
ONCE_PER_ARGUMENT = {
    ("sessions/registry.py", "_yaml"), ("sessions/dates.py", "_parser"), ("demo/text.py", "vocabulary"),
    ("index/schema.py", "_fingerprint"), ("index/analysis.py", "_stemmer"),
    ("index/analysis.py", "italian_stopwords"), ("drafting/russian.py", "analyser"),
}


def _module_trees():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), path.read_text(encoding="utf-8"), ast.parse(path.read_text("utf-8"))


def _empty_container(node) -> bool:
    if isinstance(node, (ast.Dict, ast.List, ast.Set)):
        return not getattr(node, "keys", None) and not getattr(node, "elts", None)
    return isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in (
        "dict", "list", "set", "OrderedDict", "defaultdict") and not node.args


def test_no_module_keeps_a_cache_that_clear_all_cannot_reach():
    """A module-level empty dict or list filled later is a hand-written cache: it must be a ContentCache, a
    cache.memo_table(), or be handed to cache.on_clear; an lru_cache must be registered with on_clear unless it
    keeps one object per argument (listed above)."""
    wrong = []
    for name, source, tree in _module_trees():
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            value = getattr(node, "value", None)
            for target in targets:
                if isinstance(target, ast.Name) and value is not None and _empty_container(value) \
                        and f"on_clear({target.id}.clear)" not in source and (name, target.id) not in NOT_CACHES:
                    wrong.append(f"{name}: {target.id}")
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    called = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if getattr(called, "attr", getattr(called, "id", None)) == "lru_cache" \
                            and f"on_clear({node.name}.cache_clear)" not in source \
                            and (name, node.name) not in ONCE_PER_ARGUMENT:
                        wrong.append(f"{name}: @lru_cache {node.name}")
    assert wrong == []


def test_the_content_caches_of_the_package_are_registered_and_cleared(tmp_path):
    import pipeline.compare.comparison  # noqa: F401 - each module makes its caches on import
    import pipeline.drafting.docx  # noqa: F401
    import pipeline.drafting.register  # noqa: F401
    import pipeline.sessions.registry  # noqa: F401

    names = set(cache.caches())
    assert {"sessions.yaml", "sessions.session", "sessions.by_number", "drafting.register",
            "drafting.template_tags", "compare.draft_paragraphs"} <= names
    for each in cache.caches().values():
        each.put(("test", tmp_path), "value")
    from pipeline.index.fastfield import TERM_OF
    from pipeline.index.analysis import stem_italian
    TERM_OF["it"]("cooperazione")
    assert stem_italian.cache_info().currsize
    cache.clear_all()
    assert all(len(each) == 0 for each in cache.caches().values())
    assert stem_italian.cache_info().currsize == 0
    from pipeline.index import fastfield
    assert fastfield._ITALIAN == {}


def test_a_value_is_made_once_per_key_and_each_caller_gets_its_copy():
    made = []
    kept = cache.ContentCache("test.copies", limit=2, copy=list)

    def make():
        made.append(1)
        return ["a"]

    first = kept.get(cache.content_key(b"bytes", "name"), make)
    first.append("changed by a caller")
    assert kept.get(cache.content_key(b"bytes", "name"), make) == ["a"] and len(made) == 1
    assert kept.get(cache.content_key(b"other bytes", "name"), make) == ["a"] and len(made) == 2
    kept.get(cache.content_key(b"third"), make)               # over the limit: the oldest used goes
    kept.get(cache.content_key(b"bytes", "name"), make)
    assert len(made) == 4 and len(kept) == 2


def test_a_failure_is_not_kept():
    kept = cache.ContentCache("test.failures")

    def fail():
        raise ValueError("unreadable")

    with pytest.raises(ValueError):
        kept.get("key", fail)
    assert len(kept) == 0 and kept.get("key", lambda: 1) == 1


def test_a_file_key_changes_with_an_append_a_cut_or_a_replacement(tmp_path):
    path = tmp_path / "register.jsonl"
    assert cache.file_key(path) is None and cache.file_key(tmp_path) is None   # none, or a folder
    path.write_text("one\n", encoding="utf-8")
    first = cache.file_key(path)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("two\n")
    appended = cache.file_key(path)
    path.write_text("one\n", encoding="utf-8")
    other = tmp_path / "new"
    other.write_text("one\n", encoding="utf-8")
    os.replace(other, path)
    assert len({first, appended, cache.file_key(path)}) == 3


def test_a_folder_key_changes_when_a_file_is_added_or_edited(tmp_path):
    (tmp_path / "a.yaml").write_text("a", encoding="utf-8")
    first = cache.folder_key(tmp_path)
    (tmp_path / "b.yaml").write_text("b", encoding="utf-8")
    second = cache.folder_key(tmp_path)
    (tmp_path / "a.yaml").write_text("aa", encoding="utf-8")
    assert len({first, second, cache.folder_key(tmp_path)}) == 3
    assert cache.folder_key(tmp_path / "missing") is None


def test_threads_share_one_cache():
    kept = cache.ContentCache("test.threads", limit=8)
    results = []
    threads = [threading.Thread(target=lambda: results.append(kept.get("key", lambda: object()))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and len(kept) == 1
