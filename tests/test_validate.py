"""The shipped data passes the shapes and hygiene checks, and each check catches what it is for."""

from pathlib import Path

import pytest

from igkg.graph import KnowledgeGraph
from igkg.pipeline.compile import compile_graph
from igkg.pipeline.validate import validate_store
from igkg.vocab import IGKG

from .conftest import ontology_plus, write_ttl

BASE = """
igr:src a igkg:SourceDocument ; rdfs:label "S" ; igkg:url <https://example.org/s> .
igr:body a igkg:Body ; rdfs:label "Body" .
igr:meeting a igkg:Meeting ; rdfs:label "M" ; igkg:meetingOf igr:body ; dct:source igr:src ;
    igkg:startDate "2005-01-01"^^xsd:date ; igkg:endDate "2005-01-03"^^xsd:date .
igr:old a igkg:Resolution ; rdfs:label "Old" ; igkg:dateAdopted "2005-01-02"^^xsd:date ; igkg:adoptedBy igr:body ;
    igkg:adoptedAt igr:meeting ; igkg:symbol "X/1" ; dct:source igr:src .
igr:old.para-1 a igkg:Paragraph ; rdfs:label "Old, paragraph 1" ; igkg:number "1" ; igkg:partOf igr:old ; dct:source igr:src .
igr:new a igkg:Resolution ; rdfs:label "New" ; igkg:dateAdopted "2010-01-01"^^xsd:date ; igkg:adoptedBy igr:body ; dct:source igr:src .
"""

# (name, extra Turtle, check that must report it, words its message must contain)
BROKEN = [
    ("instrument without source",
     'igr:bad a igkg:Opinion ; rdfs:label "B" ; igkg:dateAdopted "2011-01-01"^^xsd:date ; igkg:adoptedBy igr:body .',
     "shacl", "dct:source"),
    ("instrument without date",
     'igr:bad a igkg:Opinion ; rdfs:label "B" ; igkg:adoptedBy igr:body ; dct:source igr:src .',
     "instrument-undated", "dateAdopted"),
    ("undated instrument flagged unverified but with no note",
     'igr:bad a igkg:Opinion ; rdfs:label "B" ; igkg:adoptedBy igr:body ; dct:source igr:src ; igkg:unverified igkg:dateAdopted .',
     "instrument-undated", "dateAdopted"),
    ("instrument without body",
     'igr:bad a igkg:Opinion ; rdfs:label "B" ; igkg:dateAdopted "2011-01-01"^^xsd:date ; dct:source igr:src .',
     "instrument-without-body", "adoptedBy"),
    ("date that is not an xsd:date",
     'igr:bad a igkg:Opinion ; rdfs:label "B" ; igkg:dateAdopted "2011" ; igkg:adoptedBy igr:body ; dct:source igr:src .',
     "shacl", "xsd:date"),
    ("instrument without kind",
     'igr:bad a igkg:Instrument ; rdfs:label "B" ; igkg:dateAdopted "2011-01-01"^^xsd:date ; igkg:adoptedBy igr:body ; dct:source igr:src .',
     "instrument-without-kind", "no kind"),
    ("paragraph without instrument",
     'igr:lost a igkg:Paragraph ; rdfs:label "L" ; igkg:number "3" ; dct:source igr:src .',
     "shacl", "partOf"),
    ("paragraph without number",
     'igr:old.para-2 a igkg:Paragraph ; rdfs:label "Old, paragraph 2" ; igkg:partOf igr:old ; dct:source igr:src .',
     "shacl", "igkg:number"),
    ("citation to nothing",
     'igr:c a igkg:Citation ; igkg:citingEntity igr:new ; igkg:relation igkg:recalls ; igkg:citedEntity igr:ghost ; dct:source igr:src .',
     "shacl", "ExternalResource"),
    ("citation with a verb that is not a reference",
     'igr:c a igkg:Citation ; igkg:citingEntity igr:new ; igkg:relation rdfs:label ; igkg:citedEntity igr:old ; dct:source igr:src .',
     "relation-not-a-reference", "sub-property of igkg:refersTo"),
    ("citation without source",
     'igr:c a igkg:Citation ; igkg:citingEntity igr:new ; igkg:relation igkg:recalls ; igkg:citedEntity igr:old .',
     "shacl", "dct:source"),
    ("bad verification status",
     'igr:c a igkg:Citation ; igkg:citingEntity igr:new ; igkg:relation igkg:recalls ; igkg:citedEntity igr:old ;'
     ' dct:source igr:src ; igkg:verification igkg:Probably .',
     "shacl", "verification must be"),
    ("citation forward in time",
     'igr:c a igkg:Citation ; igkg:citingEntity igr:old.para-1 ; igkg:relation igkg:recalls ; igkg:citedEntity igr:new ; dct:source igr:src .',
     "citation-forward-in-time", "2010-01-01"),
    ("revision older than what it revises",
     'igr:c a igkg:Citation ; igkg:citingEntity igr:old ; igkg:relation igkg:revises ; igkg:citedEntity igr:new ; dct:source igr:src .',
     "revision-not-after-predecessor", "not later"),
    ("reference with no citation",
     "igr:new igkg:recalls igr:old .",
     "reference-without-citation", "no igkg:Citation"),
    ("reference to a node not in the graph",
     "igr:new igkg:notes igr:phantom .",
     "reference-target-missing", "neither in the graph"),
    ("same symbol twice",
     'igr:new igkg:symbol "X/1" .',
     "duplicate-symbol", "X/1"),
    ("adopted outside its meeting",
     "igr:new igkg:adoptedAt igr:meeting .",
     "dated-outside-meeting", "outside its meeting"),
    ("meeting that ends before it starts",
     'igr:m2 a igkg:Meeting ; rdfs:label "M2" ; igkg:meetingOf igr:body ; dct:source igr:src ;'
     ' igkg:startDate "2005-02-02"^^xsd:date ; igkg:endDate "2005-02-01"^^xsd:date .',
     "meeting-ends-before-start", "before it starts"),
    ("adopted after today",
     'igr:new2 a igkg:Resolution ; rdfs:label "N2" ; igkg:adoptedBy igr:body ; dct:source igr:src ; igkg:dateAdopted "2099-01-01"^^xsd:date .',
     "date-in-the-future", "2099-01-01"),
    ("symbol not in the body's form",
     'igr:body igkg:symbolPattern "^X/[0-9]+$" . igr:new igkg:symbol "Y-2" .',
     "symbol-form", "Y-2"),
    ("process nobody established",
     'igr:p a igkg:Process ; rdfs:label "P" ; dct:source igr:src .',
     "process-without-origin", "establishing"),
    ("source document without address",
     'igr:src2 a igkg:SourceDocument ; rdfs:label "S2" .',
     "shacl", "url"),
]


def _validate(folder: Path, body: str):  # type: ignore[no-untyped-def]
    path = write_ttl(folder, "case.ttl", BASE + body)
    kg = compile_graph(sources=ontology_plus(path), use_cache=False)
    return validate_store(kg.store)


@pytest.mark.slow
def test_shipped_data_conforms(kg: KnowledgeGraph) -> None:
    report = validate_store(kg.store)
    assert report.violations == ()
    assert report.conforms


def test_base_case_conforms(tmp_path: Path) -> None:
    assert _validate(tmp_path, "").violations == ()


@pytest.mark.parametrize(("extra", "check", "words"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_each_check_catches_its_problem(tmp_path: Path, extra: str, check: str, words: str) -> None:
    report = _validate(tmp_path, extra)
    assert not report.conforms
    hits = [v for v in report.violations if v.check == check and words in f"{v.path or ''} {v.message}".replace(
        "http://purl.org/dc/terms/", "dct:").replace("https://w3id.org/igkg/ontology#", "igkg:")]
    assert hits, report.violations


def test_undated_instrument_passes_when_it_says_why(tmp_path: Path) -> None:
    extra = ('igr:undated a igkg:Opinion ; rdfs:label "U" ; igkg:adoptedBy igr:body ; dct:source igr:src ;'
             ' igkg:unverified igkg:dateAdopted ; igkg:dateNote "Adopted in 2009; the day is not known." .')
    assert _validate(tmp_path, extra).violations == ()


def test_symbol_pattern_accepts_accented_place_names(kg: KnowledgeGraph) -> None:
    import re

    wtsa = next(s for s in kg.dataset.subjects(IGKG.symbolPattern, None) if str(s).endswith("/itu-wtsa"))
    patterns = [str(p) for p in kg.dataset.objects(wtsa, IGKG.symbolPattern)]
    assert any(re.search(p, "Resolution 48 (Florianópolis, 2004)") for p in patterns)
    assert not any(re.search(p, "Resolution 48 (florianópolis, 2004)") for p in patterns)
