import datetime as dt
import shutil

import pytest
import yaml

from pipeline import cache
from pipeline.sessions import registry
from pipeline.errors import ConflictError, NotFoundError, ValidationError
from pipeline.workspace import Workspace

from conftest import SAMPLE_SESSION


def sample_data():
    return yaml.safe_load(SAMPLE_SESSION.read_text(encoding="utf-8"))


def write(path, data):
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def messages(findings):
    return [f.message for f in findings]


def test_sample_session_is_valid():
    session = registry.read_session_file(SAMPLE_SESSION)
    assert session.number == 25
    assert session.city == {"it": "Bergamo", "ru": "Бергамо"}
    assert session.venue["it"] == "Polo Fieristico di via Lunga"
    assert [t["sector"]["it"] for t in session.tables] == ["Meccanica strumentale", "Chimica/Farmaceutica",
                                                            "Sistema casa"]
    assert session.tables[0]["topics"][-1] == {"it": "meccano-tessile", "ru": "текстильное машиностроение"}
    assert session.end.weekday() == 4  # the article: the session closes on a Friday


def test_long_form_dates_are_accepted():
    data = sample_data()
    data["start"] = "26 novembre 2014"
    data["end"] = "28 ноября 2014 г."
    session, findings = registry.parse_session(data, "x.yaml")
    assert findings == []
    assert (session.start, session.end) == (dt.date(2014, 11, 26), dt.date(2014, 11, 28))


def test_every_problem_is_reported_with_its_field():
    data = sample_data()
    data["end"] = "2014-11-20"
    data["country"] = "FR"
    del data["city"]["ru"]
    data["tables"][1]["topics"][0] = {"it": "tecnologia"}
    data["venu"] = "typo"
    data["number"] = -3
    _, findings = registry.parse_session(data, "s.yaml")
    got = messages(findings)
    assert "end: 2014-11-20 is before the start 2014-11-26" in got
    assert "country: 'FR' is not one of IT, RU" in got
    assert "city.ru: missing Russian translation" in got
    assert "tables[1].topics[0].ru: missing Russian translation" in got
    assert any(m.startswith("venu: unknown field") for m in got)
    assert "number: must be a whole number from 1, got -3" in got
    assert all(f.where == "s.yaml" for f in findings)


def test_required_fields_are_named_when_missing():
    _, findings = registry.parse_session({"number": 1}, "s.yaml")
    assert messages(findings) == ["start: missing", "end: missing", "country: missing (one of IT, RU)",
                                  "city: missing (give it as {it: ..., ru: ...})"]


def test_text_that_is_not_bilingual_is_refused():
    data = sample_data()
    data["region"] = "Lombardia"
    _, findings = registry.parse_session(data, "s.yaml")
    assert messages(findings) == ["region: must be given in both languages as {it: ..., ru: ...}, got 'Lombardia'"]


def test_control_characters_are_refused():
    data = sample_data()
    data["venue"]["it"] = "Polo\x07Fieristico"
    _, findings = registry.parse_session(data, "s.yaml")
    assert messages(findings) == ["venue.it: contains control characters '\\x07'; remove them"]


def test_next_session_must_be_in_the_other_country():
    data = sample_data()
    data["next_session"]["country"] = "IT"
    _, findings = registry.parse_session(data, "s.yaml")
    assert messages(findings)[0].startswith("next_session.country: sessions alternate")


def test_bad_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("number: 1\ncity: {it: x\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"not valid YAML at line \d+"):
        registry.read_session_file(bad)
    with pytest.raises(NotFoundError):
        registry.read_session_file(tmp_path / "nope.yaml")
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("city: {it: Forlì}".encode("latin-1"))
    with pytest.raises(ValidationError, match="not UTF-8"):
        registry.read_session_file(latin1)


def test_add_refuses_existing_number_unless_replace(tmp_path):
    ws = Workspace(tmp_path)
    (tmp_path / "sessions").mkdir()
    registry.add_session(ws, SAMPLE_SESSION)
    assert (tmp_path / "sessions" / "session-025.yaml").read_bytes() == SAMPLE_SESSION.read_bytes()
    with pytest.raises(ConflictError, match="session 25 is already registered"):
        registry.add_session(ws, SAMPLE_SESSION)
    changed = sample_data()
    changed["venue"]["it"] = "Bergamo Fiera"
    registry.add_session(ws, write(tmp_path / "new.yaml", changed), replace=True)
    assert registry.get_session(ws, 25).venue["it"] == "Bergamo Fiera"
    assert len(registry.list_sessions(ws)) == 1


def test_add_refuses_invalid_and_overlapping_sessions(tmp_path):
    ws = Workspace(tmp_path)
    (tmp_path / "sessions").mkdir()
    registry.add_session(ws, SAMPLE_SESSION)
    other = sample_data()
    other["number"] = 26
    other["country"], other["next_session"]["country"] = "RU", "IT"
    with pytest.raises(ValidationError, match="overlaps session 25"):
        registry.add_session(ws, write(tmp_path / "26.yaml", other))
    other["start"] = "2015-05-01"
    other["end"] = "2015-04-01"
    with pytest.raises(ValidationError) as err:
        registry.add_session(ws, write(tmp_path / "26.yaml", other))
    assert "end: 2015-04-01 is before the start 2015-05-01" in messages(err.value.findings)
    assert not (tmp_path / "sessions" / "session-026.yaml").exists()


def test_check_reports_duplicates_and_overlaps(tmp_path):
    ws = Workspace(tmp_path)
    folder = tmp_path / "sessions"
    folder.mkdir()
    shutil.copy(SAMPLE_SESSION, folder / "session-025.yaml")
    shutil.copy(SAMPLE_SESSION, folder / "copy.yaml")
    overlapping = sample_data()
    overlapping["number"] = 26
    write(folder / "session-026.yaml", overlapping)
    broken = folder / "session-027.yaml"
    broken.write_text("number: [\n", encoding="utf-8")
    result = registry.check_sessions(ws)
    assert result["ok"] is False
    text = [f"{p['where']}: {p['message']}" for p in result["problems"]]
    assert any("number: 25 is also used by" in t for t in text)
    assert any("session 26" in t and "overlaps session 25" in t for t in text)
    assert any(t.startswith(str(broken)) and "not valid YAML" in t for t in text)


def test_empty_registry(tmp_path):
    ws = Workspace(tmp_path)
    assert registry.list_sessions(ws) == []
    assert registry.check_sessions(ws)["ok"] is True


def test_get_session_finds_a_file_under_another_name_and_prefers_the_usual_one(tmp_path):
    ws = Workspace(tmp_path)
    (tmp_path / "sessions").mkdir()
    other = sample_data()
    other["number"] = 7
    write(tmp_path / "sessions" / "a-hand-named-file.yaml", other)
    assert registry.get_session(ws, 7).number == 7
    shutil.copyfile(SAMPLE_SESSION, tmp_path / "sessions" / "session-025.yaml")
    assert registry.get_session(ws, 25).source.endswith("session-025.yaml")
    with pytest.raises(NotFoundError, match="no session 8"):
        registry.get_session(ws, 8)


def test_a_session_file_is_parsed_once_per_content_and_read_again_when_it_changes(tmp_path, monkeypatch):
    ws = Workspace(tmp_path)
    (tmp_path / "sessions").mkdir()
    cache.clear_all()
    parsed = []
    real_parse = registry.parse_session
    monkeypatch.setattr(registry, "parse_session", lambda data, where: parsed.append(where) or real_parse(data, where))
    path = tmp_path / "sessions" / "session-025.yaml"
    shutil.copyfile(SAMPLE_SESSION, path)
    first = registry.readable_sessions(ws)[0]
    first.city["it"] = "changed by a caller"
    first.tables.clear()
    again = registry.readable_sessions(ws)[0]
    assert again == real_parse(sample_data(), str(path))[0]
    assert again.tables and again.city["it"] != "changed by a caller"
    assert parsed.count(str(path)) == 1
    # rewritten in place at once (same size, perhaps the same mtime): read again
    data = sample_data()
    data["city"]["it"] = data["city"]["it"][::-1]
    write(path, data)
    assert registry.readable_sessions(ws)[0].city["it"] == data["city"]["it"]
    assert registry.get_session(ws, 25).city["it"] == data["city"]["it"]
    assert parsed.count(str(path)) == 3   # once rewritten, once more by get_session (its YAML is kept)
    path.write_text("number: [", encoding="utf-8")
    assert registry.readable_sessions(ws) == []


def test_check_warns_when_a_next_session_disagrees_with_the_next_registered_one(tmp_path):
    """Session 8 announces Perugia, session 9 is in Prato: `sessions check` said "no problems" (issue 21)."""
    from click.testing import CliRunner
    from pipeline.cli import cli

    assert CliRunner().invoke(cli, ["--home", str(tmp_path), "init"]).exit_code == 0
    ws = Workspace(tmp_path)
    folder = tmp_path / "sessions"
    eighth = sample_data() | {"number": 8, "start": "2008-05-12", "end": "2008-05-13", "country": "RU",
                              "city": {"it": "Mosca", "ru": "Москва"},
                              "next_session": {"country": "IT", "city": {"it": "Perugia", "ru": "Перуджа"},
                                               "start": "2008-11-20"}}
    ninth = sample_data() | {"number": 9, "start": "2008-11-20", "end": "2008-11-21",
                             "city": {"it": "Prato", "ru": "Прато"}}
    ninth.pop("next_session")
    eighth.pop("region"), ninth.pop("region")
    write(folder / "session-008.yaml", eighth)
    write(folder / "session-009.yaml", ninth)
    result = registry.check_sessions(ws)
    assert result["ok"] is True and result["problems"] == []
    assert result["warnings"] == [{"where": f"{folder}/session-008.yaml: next_session.city",
                                   "message": f"session 8 announces Perugia, but session 9 ({folder}/session-009.yaml) "
                                              f"is in Prato"}]
    shown = CliRunner().invoke(cli, ["--home", str(tmp_path), "sessions", "check"])
    assert shown.exit_code == 0
    assert shown.stdout == "2 session(s) in 2 file(s): no problems, 1 warning(s).\n"
    assert shown.stderr == (f"Warning: {folder}/session-008.yaml: next_session.city: session 8 announces Perugia, "
                            f"but session 9 ({folder}/session-009.yaml) is in Prato\n")

    # the city agrees in either language and in any case; the country and the dates are compared too
    eighth["next_session"] = {"country": "IT", "city": {"it": "prato", "ru": "Прато"}, "start": "2008-11-19"}
    write(folder / "session-008.yaml", eighth)
    write(folder / "session-009.yaml", ninth | {"country": "RU"})
    assert [w["where"].rsplit(": ", 1)[1] for w in registry.check_sessions(ws)["warnings"]] == [
        "next_session.country", "next_session.start"]
    eighth["next_session"] = {"country": "IT", "city": {"it": "Prato", "ru": "Прато"}}
    write(folder / "session-008.yaml", eighth)
    write(folder / "session-009.yaml", ninth)
    assert registry.check_sessions(ws)["warnings"] == []


def test_the_sessions_by_number_are_read_once_while_the_registry_is_unchanged(tmp_path):
    """The one per-folder cache of the sessions (the web page labels its session facet with it at every
    request; it had its own copy of this cache)."""
    ws = Workspace(tmp_path)
    (tmp_path / "sessions").mkdir()
    assert registry.sessions_by_number(ws) == {}
    path = tmp_path / "sessions" / "session-025.yaml"
    shutil.copyfile(SAMPLE_SESSION, path)
    first = registry.sessions_by_number(ws)
    assert list(first) == [25] and registry.sessions_by_number(ws) is first
    data = sample_data()
    data["city"]["it"] = "Brescia"
    write(path, data)
    assert registry.sessions_by_number(ws)[25].city["it"] == "Brescia"
    path.unlink()
    assert registry.sessions_by_number(ws) == {}
    cache.clear_all()
    assert registry.sessions_by_number(Workspace(tmp_path / "missing")) == {}
