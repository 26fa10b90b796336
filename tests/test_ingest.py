"""Ingesting documents into the user's graph: provenance, idempotence, removal, refusal."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from igkg import resources
from igkg.errors import EXIT_NOT_FOUND, EXIT_USAGE
from igkg.vocab import IGKG, PROV

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
