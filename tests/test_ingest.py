"""Ingesting documents into the user's graph: provenance, idempotence, removal, refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from igkg import resources
from igkg.errors import EXIT_NOT_FOUND, EXIT_USAGE
from igkg.vocab import IGKG, PROV, RDFS

from .conftest import SEED
from .test_cli import run

ID = "WTPF-13 EC backgrounder"
FILE_NAME = "wtpf-13-ec-backgrounder.ttl"


def _ingested() -> Path:
    return resources.user_data_dir() / "ingested" / FILE_NAME


def test_ingest_lineage_reingest_and_remove() -> None:
    code, out, err = run("ingest", str(SEED), "--id", ID, "--title", "The Enhanced Cooperation Process", "--body", "ITU")
    assert code == 0, err
    assert out.startswith("added: igr:user.wtpf-13-ec-backgrounder") and "10 reference(s) recorded" in out
    data = _ingested().read_bytes()

    # Lineage and queries see it.
    code, out, _ = run("lineage", "Tunis Agenda para 69", "--direction", "down", "--depth", "1")
    assert code == 0 and "The Enhanced Cooperation Process — reaffirms para 69" in out
    code, out, _ = run("query", "-e", "SELECT ?x WHERE { ?x <https://w3id.org/igkg/ontology#refersTo> "
                       "<https://w3id.org/igkg/id/itu-pp-res-102-rev-2010> }", "--format", "csv")
    assert code == 0 and "user.wtpf-13-ec-backgrounder" in out

    # Provenance: the activity, the tool, the file's hash, the offsets.
    g = Graph().parse(data=data, format="turtle")
    doc = URIRef("https://w3id.org/igkg/id/user.wtpf-13-ec-backgrounder")
    activity = g.value(doc, PROV.wasGeneratedBy)
    assert activity is not None and g.value(activity, PROV.wasAssociatedWith) is not None
    import hashlib

    source = g.value(activity, PROV.used)
    assert str(g.value(source, IGKG.sha256)) == hashlib.sha256(SEED.read_bytes()).hexdigest()
    text = SEED.read_text(encoding="utf-8")
    oa = "http://www.w3.org/ns/oa#"
    for cite in g.subjects(IGKG.citingEntity, doc):
        sel = g.value(cite, URIRef(oa + "hasSelector"))
        start, end = int(g.value(sel, URIRef(oa + "start"))), int(g.value(sel, URIRef(oa + "end")))
        assert text[start:end] == str(g.value(cite, IGKG.pinpoint))

    # The same file again changes nothing.
    code, out, _ = run("ingest", str(SEED), "--id", ID, "--title", "The Enhanced Cooperation Process", "--body", "ITU")
    assert code == 0 and out.startswith("unchanged:") and _ingested().read_bytes() == data

    # Removal takes everything out.
    code, out, _ = run("ingest", "--remove", "--id", ID)
    assert code == 0 and out.startswith("removed:") and not _ingested().exists()
    code, out, _ = run("lineage", "Tunis Agenda para 69", "--direction", "down", "--depth", "1")
    assert "Enhanced Cooperation Process" not in out
    code, _, err = run("ingest", "--remove", "--id", ID)
    assert code == EXIT_NOT_FOUND and err.count("\n") == 1


def test_ingest_that_would_break_the_graph_writes_nothing() -> None:
    # Dated before the texts it cites: the hygiene check refuses it, and nothing stays behind.
    code, _, err = run("ingest", str(SEED), "--id", "too early", "--date", "2001-01-01")
    assert code == EXIT_USAGE and err.startswith("igkg: error: not added: the graph would not validate with it")
    assert not (resources.user_data_dir() / "ingested" / "too-early.ttl").exists()


def test_ingest_bad_options() -> None:
    for args, message in [
        (["ingest", str(SEED)], "give the document a name with --id"),
        (["ingest", str(SEED), "--id", "x", "--date", "May 2013"], "is not a date of the form YYYY-MM-DD"),
        (["ingest", str(SEED), "--id", "x", "--body", "Tunis Agenda"], "which is not a body or office"),
        (["ingest", "--id", "x"], "give the FILE to ingest"),
    ]:
        code, _, err = run(*args)
        assert code == EXIT_USAGE and message in err and err.count("\n") == 1


@pytest.mark.slow
def test_ingesting_again_keeps_the_title_and_date_it_was_given(tmp_path: Path) -> None:
    doc = tmp_path / "draft.txt"
    doc.write_text("Recalling paragraph 69 of the Tunis Agenda.", encoding="utf-8")
    kept = resources.user_data_dir() / "ingested" / "kept-draft.ttl"
    try:
        assert run("ingest", str(doc), "--id", "kept draft", "--title", "My kept draft", "--date", "2024-05-02")[0] == 0
        before = kept.read_bytes()
        code, out, err = run("ingest", str(doc), "--id", "kept draft")  # no --title, no --date
        assert code == 0 and out.startswith("unchanged: igr:user.kept-draft"), err
        assert kept.read_bytes() == before
        doc.write_text("Recalling paragraphs 69 and 71 of the Tunis Agenda.", encoding="utf-8")  # the draft changed
        code, out, err = run("ingest", str(doc), "--id", "kept draft", "--replace")
        assert code == 0 and out.startswith("updated: igr:user.kept-draft"), err
        g = Graph().parse(kept, format="turtle")
        me = URIRef("https://w3id.org/igkg/id/user.kept-draft")
        assert str(g.value(me, RDFS.label)) == "My kept draft" and str(g.value(me, IGKG.dateAdopted)) == "2024-05-02"
    finally:
        run("ingest", "--remove", "--id", "kept draft")


@pytest.mark.slow
def test_another_file_under_an_id_already_used_needs_replace(tmp_path: Path) -> None:
    """`twice` and `TWICE` (and `a/b` and `a-b`) are one id: a second file under it is refused
    unless --replace says so, and the first document stays as it was."""
    first, second = tmp_path / "doc.txt", tmp_path / "doc2.txt"
    first.write_text("Recalling paragraph 69 of the Tunis Agenda.", encoding="utf-8")
    second.write_text("Recalling the Geneva Declaration of Principles.", encoding="utf-8")
    kept = resources.user_data_dir() / "ingested" / "twice-over.ttl"
    try:
        code, out, err = run("ingest", str(first), "--id", "twice/over")
        assert code == 0 and out.startswith("added: igr:user.twice-over"), err
        before = kept.read_bytes()
        code, out, err = run("ingest", str(second), "--id", "TWICE over")
        assert code == EXIT_USAGE and not out
        assert err == ("igkg: error: --id 'TWICE over' already names another document (ids that differ only in case or "
                       "punctuation are one id): add --replace to replace it, or choose another --id\n")
        assert kept.read_bytes() == before
        code, out, err = run("ingest", str(first), "--id", "TWICE over")  # the same file again: no --replace needed
        assert code == 0, err
        code, out, err = run("ingest", str(second), "--id", "TWICE over", "--replace")
        assert code == 0 and kept.read_bytes() != before, err
    finally:
        run("ingest", "--remove", "--id", "twice-over")
