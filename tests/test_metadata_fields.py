"""Every place a metadata field must go (README, "How to add a metadata field"). A field added to the sidecar
(DocumentRecord) must be documented in docs/archive.md and be either indexed or declared sidecar-only; a value
a user can give (Given) must have its ingest option, its archive-edit option (except the password) and its
manifest column."""
from dataclasses import fields

from pipeline.archive.batch import MANIFEST_ALIASES, MANIFEST_COLUMNS
from pipeline.archive.metadata import Given
from pipeline.archive.record import DocumentRecord
from pipeline.cli import load_all
from pipeline.index.schema import build_schema
from tests.conftest import REPO

# Sidecar fields the index does not keep as a field of its own, and why.
SIDECAR_ONLY = {
    "title": "stored in the index as text, searched through text_it/text_ru and keys",
    "size": "a property of the file", "filename": "the name the file had; the title falls back to it",
    "pages": "the page texts are the index's text", "page_sources": "per page; text_source sums it up",
    "signatures": "shown from the sidecar", "pdf_metadata": "shown from the sidecar",
    "ingested_at": "shown from the sidecar", "metadata_sources": "shown from the sidecar",
    "encrypted": "shown from the sidecar", "warnings": "shown from the sidecar",
    "draft_comparison": "indexed as its outcome, the differs field",
    "signed_on": "indexed as signed_on, year and date_key",
}
# Given field -> (ingest and archive-edit option, manifest column)
GIVEN = {"session": ("--session", "session"), "type": ("--type", "type"), "title": ("--title", "title"),
         "parties": ("--party", "party"), "sectors": ("--sector", "sector"), "signed_on": ("--signed-on", "signed_on"),
         "place": ("--place", "place"), "languages": ("--lang", "lang"),
         "confidentiality": ("--confidentiality", "confidentiality"), "reference": ("--ref", "ref"),
         "password": ("--password", "password"), "title_ru": ("--title-ru", "title_ru"),
         "place_ru": ("--place-ru", "place_ru")}


def sidecar_documentation() -> str:
    text = (REPO / "docs" / "archive.md").read_text(encoding="utf-8")
    return text.split("### Sidecar (`metadata-rN.json`)")[1].split("\n### ")[0]


def test_every_sidecar_field_is_documented():
    documented = sidecar_documentation()
    assert [f.name for f in fields(DocumentRecord) if f"`{f.name}`" not in documented] == []


def test_every_sidecar_field_is_indexed_or_declared_sidecar_only():
    schema = set(build_schema().names())
    assert [f.name for f in fields(DocumentRecord) if f.name not in schema and f.name not in SIDECAR_ONLY] == []
    assert [name for name in SIDECAR_ONLY if name not in {f.name for f in fields(DocumentRecord)}] == []


def test_every_given_value_has_its_options_and_its_manifest_column():
    assert sorted(f.name for f in fields(Given)) == sorted(GIVEN)
    cli = load_all()
    options = {name: {opt for param in command.params for opt in getattr(param, "opts", [])}
               for name, command in (("ingest", cli.commands["ingest"]), ("edit", cli.commands["archive"].commands["edit"]))}
    columns = set(MANIFEST_COLUMNS) | set(MANIFEST_ALIASES)
    missing = []
    for name, (option, column) in GIVEN.items():
        missing += [f"ingest {option}"] if option not in options["ingest"] else []
        missing += [f"archive edit {option}"] if option not in options["edit"] and name != "password" else []
        missing += [f"manifest column {column}"] if column not in columns else []
    assert missing == []
