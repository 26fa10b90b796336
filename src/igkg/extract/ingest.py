"""Adding a user's document to their own graph: the document, the references read out of
it, and their provenance (PROV-O activity, tool version, file hash, character offsets as
Web Annotation selectors).

Each ingested document is one Turtle file in the user data folder (``ingested/``), never
in the shipped ``data/``; removing it removes everything it added. A file is only put in
place once the graph with it still validates, and ingesting the same text again changes
nothing.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from .. import resources
from ..analysis.nodes import parse_day
from ..errors import IgkgError, RefNotFound
from ..files import write_atomic
from ..models import ExtractedReference
from ..progress import SILENT, Progress
from ..vocab import DCTERMS, IGKG, IGR, PREFIXES, PROV, RDF, RDFS, SKOS
from . import extract_file
from .read import Document

OA = Namespace("http://www.w3.org/ns/oa#")
_TIME_LINE = re.compile(r"^.*prov:endedAtTime.*$", re.MULTILINE)


class IngestError(IgkgError):
    """The document cannot be added: bad options, or the graph would no longer validate."""


@dataclass(frozen=True)
class IngestReport:
    path: str  # the Turtle file in the user data folder
    iri: str
    status: str  # "added", "updated", "unchanged" or "removed"
    references: int  # resolved references recorded as citations
    unresolved: tuple[str, ...] = ()


def slug(ident: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", ident.casefold()).strip("-")
    if not s:
        raise IngestError(f"--id {ident!r} has no letters or digits to name the document by")
    return s


def ingested_dir() -> Path:
    return resources.user_data_dir() / "ingested"


def document_graph(
    doc: Document,
    refs: list[ExtractedReference],
    *,
    ident: str,
    title: str | None = None,
    date: str | None = None,
    body: URIRef | None = None,
    ended: str | None = None,
    relations: dict[str, URIRef] | None = None,
) -> Graph:
    """The RDF for a document and the resolved references found in it."""
    from ..version import __version__

    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.bind("oa", OA)
    s = slug(ident)
    me, source, activity = IGR[f"user.{s}"], IGR[f"user.{s}.source"], IGR[f"user.{s}.extraction"]
    agent = IGR[f"software.igkg-{__version__}"]
    g.add((me, RDF.type, IGKG.IngestedDocument))
    g.add((me, RDFS.label, Literal(title or ident)))
    if title and title != ident:
        g.add((me, SKOS.altLabel, Literal(ident)))
    if date:
        g.add((me, IGKG.dateAdopted, Literal(date, datatype=XSD.date)))
    if body is not None:
        g.add((me, IGKG.adoptedBy, body))
    g.add((me, IGKG.verification, IGKG.Unverified))
    g.add((me, DCTERMS.source, source))
    g.add((me, PROV.wasGeneratedBy, activity))
    g.add((source, RDF.type, IGKG.SourceDocument))
    g.add((source, RDFS.label, Literal(f"{Path(doc.path).name} (file read by igkg ingest)")))
    g.add((source, IGKG.checkedCopy, URIRef(Path(doc.path).resolve().as_uri())))
    g.add((source, IGKG.sha256, Literal(doc.sha256)))
    g.add((source, DCTERMS["format"], Literal(doc.media_type)))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal(f"reference extraction by igkg {__version__}")))
    g.add((activity, PROV.used, source))
    g.add((activity, PROV.wasAssociatedWith, agent))
    if ended:
        g.add((activity, PROV.endedAtTime, Literal(ended, datatype=XSD.dateTime)))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(f"igkg {__version__}")))
    n = 0
    for r in refs:
        if r.instrument is None:
            continue
        n += 1
        cite, sel = IGR[f"user.{s}.ref-{n}"], IGR[f"user.{s}.ref-{n}.position"]
        g.add((cite, RDF.type, IGKG.Citation))
        g.add((cite, IGKG.citingEntity, me))
        g.add((cite, IGKG.citedEntity, URIRef(r.instrument)))
        g.add((cite, IGKG.relation, (relations or {}).get(r.relation or "", IGKG.refersTo)))
        g.add((cite, IGKG.pinpoint, Literal(r.surface)))
        g.add((cite, IGKG.confidence, Literal(f"{r.confidence:.2f}", datatype=XSD.decimal)))
        if r.draft:
            g.add((cite, IGKG.citesDraft, Literal(True)))
        g.add((cite, IGKG.verification, IGKG.Unverified))
        g.add((cite, DCTERMS.source, source))
        g.add((cite, PROV.wasGeneratedBy, activity))
        g.add((cite, OA.hasSelector, sel))
        g.add((sel, RDF.type, OA.TextPositionSelector))
        g.add((sel, OA.start, Literal(r.start)))
        g.add((sel, OA.end, Literal(r.end)))
    return g


def to_turtle(g: Graph) -> bytes:
    """Turtle whose bytes depend only on the triples: rdflib's writer over a copy whose store holds
    them in sorted order, so the writer iterates them stably."""
    out = Graph()
    for prefix, ns in {**PREFIXES, "oa": OA}.items():  # oa: Web Annotation, for the passages
        out.bind(prefix, ns)
    for t in sorted(g, key=lambda t: tuple(term.n3() for term in t)):
        out.add(t)
    return out.serialize(format="turtle", encoding="utf-8")


def ingest(
    path: str | Path,
    ident: str,
    *,
    title: str | None = None,
    date: str | None = None,
    body: str | None = None,
    encoding: str | None = None,
    replace: bool = False,
    progress: Progress = SILENT,
) -> IngestReport:
    from ..pipeline.compile import compile_graph

    if date is not None:
        parse_day(date, "--date")
    target = ingested_dir() / f"{slug(ident)}.ttl"
    previous = target.read_bytes() if target.is_file() else None
    before = Graph().parse(data=previous, format="turtle") if previous is not None else None
    iri = str(IGR[f"user.{slug(ident)}"])
    # Asked again without --title, --date or --body, a document keeps the ones it was given.
    had = _given(before, URIRef(iri)) if before is not None else {}
    title = title if title is not None else had.get("title")
    date = date if date is not None else had.get("date")
    kg = compile_graph(progress=progress)
    body_iri = _body(kg, body) if body else had.get("body")
    with progress.stage(f"reading references in {Path(path).name}"):
        doc, refs = extract_file(path, kg.catalog, encoding=encoding, body=body, date=date)
    # Once ingested, the document's own title is a name in the graph; it does not cite itself.
    refs = [r for r in refs if not (r.instrument and (r.instrument == iri or r.instrument.startswith(iri + ".")))]
    stamp = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    data = to_turtle(document_graph(doc, refs, ident=ident, title=title, date=date, body=body_iri, ended=stamp, relations=kg.catalog.verb_iris))
    unresolved = tuple(r.label for r in refs if r.instrument is None)
    count = sum(1 for r in refs if r.instrument is not None)
    if before is not None and not replace:
        held = {str(h) for h in before.objects(None, IGKG.sha256)}
        if held and doc.sha256 not in held:
            raise IngestError(f"--id {ident!r} already names another document (ids that differ only in case or "
                              "punctuation are one id): add --replace to replace it, or choose another --id")
    if previous is not None and _TIME_LINE.sub("", previous.decode("utf-8")) == _TIME_LINE.sub("", data.decode("utf-8")):
        return IngestReport(str(target), iri, "unchanged", count, unresolved)
    write_atomic(target, data)
    try:
        report = compile_graph(validate=True, progress=progress).report
        problems = report.validation.violations if report.validation is not None and not report.validation.conforms else ()
    except BaseException:
        _restore(target, previous)
        raise
    if problems:
        _restore(target, previous)
        first = problems[0]
        raise IngestError(f"not added: the graph would not validate with it ({len(problems)} problem(s)); first: {first.focus}: {first.message}")
    return IngestReport(str(target), iri, "updated" if previous is not None else "added", count, unresolved)


def _given(g: Graph, me: URIRef) -> dict:
    """The title, date and body an earlier ingest recorded (``g``) for the document ``me``."""
    given = {"title": str(g.value(me, RDFS.label)) if g.value(me, SKOS.altLabel) is not None else None,
             "date": g.value(me, IGKG.dateAdopted), "body": g.value(me, IGKG.adoptedBy)}
    return {k: str(v) if k == "date" else v for k, v in given.items() if v is not None}


def remove(ident: str) -> IngestReport:
    target = ingested_dir() / f"{slug(ident)}.ttl"
    if not target.is_file():
        known = sorted(p.stem for p in ingested_dir().glob("*.ttl")) if ingested_dir().is_dir() else []
        raise RefNotFound(ident, [(k, f"ingested/{k}.ttl") for k in known[:5]])
    target.unlink()
    return IngestReport(str(target), str(IGR[f"user.{slug(ident)}"]), "removed", 0)


def _restore(target: Path, previous: bytes | None) -> None:

    if previous is None:
        target.unlink(missing_ok=True)
    else:
        write_atomic(target, previous)


def _body(kg, ref: str) -> URIRef:  # type: ignore[no-untyped-def]
    iri = kg.resolve(ref)
    if (iri, RDF.type, IGKG.Actor) not in kg.dataset:
        raise IngestError(f"--body {ref!r} names {iri}, which is not a body or office")
    return iri
