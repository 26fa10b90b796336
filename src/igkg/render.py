"""Turning results into text for people (tables, trees) and for programs (JSON, CSV); pictures are in pictures.py."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef

from .analysis.nodes import curie, verb_words
from .models import (
    BuildReport,
    Description,
    Edge,
    ExtractedReference,
    Lineage,
    LineageStep,
    Node,
    Part,
    QueryResult,
    Revision,
    Stats,
    ValidationReport,
)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """Plain aligned columns: readable in a terminal, stable in tests and pipes."""
    if not rows:
        return "(no rows)\n"
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(r) for r in rows)
    return "\n".join(out) + "\n"


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# -- query results ----------------------------------------------------------

def _cell(term: Any, short: bool) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return curie(str(term)) if short else str(term)
    return str(term)


def _json_value(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value if isinstance(value, (int, float, bool)) else str(term)
    return str(term)


def query_result(result: QueryResult, fmt: str) -> str:
    if result.boolean is not None:
        return _json({"boolean": result.boolean}) if fmt == "json" else ("yes\n" if result.boolean else "no\n")
    if result.graph is not None:
        return result.graph.serialize(format="turtle")
    headers = list(result.variables)
    if fmt == "json":
        return _json([{v: _json_value(t) for v, t in zip(headers, row, strict=True)} for row in result.rows])
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(headers)
        writer.writerows([[_cell(t, short=False) for t in row] for row in result.rows])
        return buf.getvalue()
    return table(headers, [[_cell(t, short=True) for t in row] for row in result.rows])


# -- nodes and descriptions -------------------------------------------------

def _node_line(n: Node) -> str:
    date = f", {n.date}" if n.date else ""
    return f"{n.label} ({n.kind}{date}) {n.curie}"


def _edge_out(e: Edge) -> str:
    where = f"[{e.source.pinpoint}] " if e.source.pinpoint else ""
    status = f" ({e.verification})" if e.verification and e.verification != "verified" else ""
    return f"{where}{verb_words(e.relation)} {e.target.label}{_date(e.target)}{status}  {e.target.curie}"


def _edge_in(e: Edge) -> str:
    where = f" {e.target.pinpoint}" if e.target.pinpoint else ""
    status = f" ({e.verification})" if e.verification and e.verification != "verified" else ""
    return f"{e.source.label}{_date(e.source)} {verb_words(e.relation)}{where}{status}  {e.source.curie}"


def _date(n: Node) -> str:
    return f" ({n.date})" if n.date else ""


def description(d: Description, fmt: str) -> str:
    if fmt == "json":
        return _json(asdict(d))
    out = [_node_line(d.node)]
    width = max((len(h) for h, _ in d.facts), default=0)
    out += [f"  {h.ljust(width)}  {v}" for h, v in d.facts]
    if d.processes:
        out.append("processes:")
        out += [f"  {how} {n.label}  {n.curie}" for how, n in d.processes]
    if d.concerned_by:
        out.append(f"texts about this process ({len(d.concerned_by)}):")
        out += [f"  {n.label}{_date(n)} — {how}  {n.curie}" for how, n in d.concerned_by]
    if d.meetings:
        out.append(f"meetings ({len(d.meetings)}):")
        out += [f"  {n.label}  {n.curie}" for n in d.meetings]
    if d.adopted:
        out.append(f"adopted here ({len(d.adopted)}):")
        out += [f"  {n.label}{_date(n)}  {n.curie}" for n in d.adopted]
    if d.parts:
        out.append(f"parts ({len(d.parts)}):")
        out += [f"  {n.label}  {n.curie}" for n in d.parts]
    out.append(f"references out ({len(d.outgoing)}):")
    out += [f"  {_edge_out(e)}" for e in d.outgoing]
    out.append(f"references in ({len(d.incoming)}):")
    out += [f"  {_edge_in(e)}" for e in d.incoming]
    return "\n".join(out) + "\n"


# -- lineage ----------------------------------------------------------------

def _step_dict(s: LineageStep) -> dict[str, Any]:
    e = s.edge
    return {
        "depth": s.depth,
        "direction": s.direction,
        "relation": e.relation,
        "source": asdict(e.source),
        "target": asdict(e.target),
        "pinpoint": e.pinpoint,
        "citation": e.citation,
        "verification": e.verification,
        "parent": s.parent,
    }


def _step_line(s: LineageStep) -> str:
    e = s.edge
    status = f" ({e.verification})" if e.verification and e.verification != "verified" else ""
    if s.direction == "down":
        pin = f" {e.target.pinpoint}" if e.target.pinpoint else ""
        return f"{e.source.label} — {verb_words(e.relation)}{pin} — {e.source.date or 'undated'}{status}  {e.source.curie}"
    frm = f"[{e.source.pinpoint}] " if e.source.pinpoint else ""
    return f"{frm}{verb_words(e.relation)} {e.target.label} — {e.target.date or 'undated'}{status}  {e.target.curie}"


def _emit_tree(out: list[str], children: dict[str, list[LineageStep]], parent: str, prefix: str, expanded: set[str]) -> None:
    """Append the steps under ``parent``; a node reached twice is expanded only the first time, and
    says so where it is met again."""
    expanded.add(parent)
    kids = children.get(parent, [])
    for i, s in enumerate(kids):
        last = i == len(kids) - 1
        reached = _reached(s)
        again = "  (its lineage above)" if reached in expanded and reached in children else ""
        out.append(f"{prefix}{'└── ' if last else '├── '}{_step_line(s)}{again}")
        if reached not in expanded and reached in children:
            _emit_tree(out, children, reached, prefix + ("    " if last else "│   "), expanded)


def _reached(s: LineageStep) -> str:
    return s.edge.target.iri if s.direction == "up" else s.edge.source.iri


# Where the lineage of a node that is not itself cited is found instead.
_NOTHING_HERE = {
    "revision series": ": texts cite the revisions of a series; list them with --revisions, and ask for the lineage of one",
    "process": ": texts concern a process rather than cite it; see them with 'igkg show' or "
               "'igkg query process-paragraphs -p process=…'",
}


def lineage_tree(lin: Lineage) -> str:
    out = [_node_line(lin.root)]
    for direction, heading in (("up", "builds on"), ("down", "built upon by")):
        if lin.direction not in (direction, "both"):
            continue
        steps = [s for s in lin.steps if s.direction == direction]
        # Counted as nodes: a text reached by several paths is one text.
        out.append(f"{heading} ({len({_reached(s) for s in steps})}):")
        children: dict[str, list[LineageStep]] = defaultdict(list)
        for s in steps:
            children[s.parent].append(s)
        _emit_tree(out, children, lin.root.iri, "  ", set())
        if not steps:
            out.append(f"  (none){_NOTHING_HERE.get(lin.root.kind, '')}")
    return "\n".join(out) + "\n"


def lineage_json(lin: Lineage) -> str:
    return _json({"root": asdict(lin.root), "direction": lin.direction, "steps": [_step_dict(s) for s in lin.steps]})


def paths(found: list[list[Edge]], a: Node, b: Node, fmt: str, total: int | None = None) -> str:
    """The paths ``found`` (the first of ``total``, when a limit cut them); paths that read alike
    (through different citations between the same texts) are one line, with their count."""
    total = len(found) if total is None else total
    if fmt == "json":
        return _json({"from": asdict(a), "to": asdict(b), "total": total, "paths": [[asdict(e) for e in p] for p in found]})
    if not found:
        return f"no reference path between {a.label} and {b.label}\n"
    shown = f"the {len(found)} shortest of {total}" if len(found) < total else f"{total}"
    out = [f"{shown} path(s) between {a.label} and {b.label}:"]
    chains = Counter(p[0].source.label + "".join(f" —{verb_words(e.relation)}→ {e.target.label}" for e in p) for p in found)
    for i, (chain, n) in enumerate(chains.items(), 1):
        out.append(f"{i}. {chain}" + (f"  ({n} citations)" if n > 1 else ""))
    return "\n".join(out) + "\n"


def revision_list(series: Node, revs: list[Revision], fmt: str) -> str:
    if fmt == "json":
        return _json({"series": asdict(series), "revisions": [asdict(r) for r in revs]})
    out = [f"{series.label} ({series.curie}): {len(revs)} revision(s)"]
    labels = {r.node.iri: r.node.label for r in revs}
    rows = []
    for r in revs:
        rev = f"{r.place or '?'} {r.year or ''}".strip()
        prev = f"revises {labels.get(r.revises, curie(r.revises))}" if r.revises else ""
        rows.append([r.node.date or "", rev, r.node.label, prev, r.status or ""])
    out.append(table(["date", "revision", "instrument", "revises", "status"], rows).rstrip("\n"))
    return "\n".join(out) + "\n"


# -- build, validation, stats ----------------------------------------------

def build_report(r: BuildReport) -> str:
    out = [
        f"asserted triples: {r.asserted}  (ontology {r.triples.get('ontology', 0)}, "
        f"data {r.triples.get('data', 0)}, user {r.triples.get('user', 0)})",
        f"inferred triples: {r.inferred}" + ("" if r.full_closure else "  (the part igkg reads; export --inferred and push add the rest)"),
        f"load: {r.load_seconds:.2f} s  reason: {r.reason_seconds:.2f} s" + ("  (from cache)" if r.from_cache else ""),
    ]
    if r.validation is not None:
        v = r.validation
        state = "conforms" if v.conforms else f"{len(v.violations)} problem(s); run 'igkg validate' for the report"
        out.append(f"validate: {v.seconds:.2f} s, {state}")
    if r.cache_file:
        out.append(f"cache: {r.cache_file}")
    return "\n".join(out) + "\n"


def validation(v: ValidationReport, fmt: str) -> str:
    if fmt == "json":
        return _json({"conforms": v.conforms, "violations": [asdict(x) for x in v.violations]})
    if v.conforms:
        return "conforms: the graph passes every shape and hygiene check\n"
    rows = [[x.check, curie(x.focus), (curie(x.path) + ": " if x.path else "") + x.message] for x in v.violations]
    return f"does not conform: {len(v.violations)} problem(s)\n" + table(["check", "focus", "problem"], rows)


def stats(s: Stats, fmt: str) -> str:
    if fmt == "json":
        return _json({
            "triples": s.triples, "classes": dict(s.classes), "relations": dict(s.relations),
            "verification": dict(s.verification), "coverage": {k: dict(v) for k, v in s.coverage.items()},
            "inferred_closure": "full" if s.full_closure else "read",
        })
    partial = "  (the part of the OWL RL closure igkg reads; export --inferred gives all of it)"
    out = ["triples:"]
    out += [f"  {k:<10} {v}" + (partial if k == "inferred" and not s.full_closure else "") for k, v in s.triples.items()]
    out.append("instances by class:")
    out += [f"  {k:<24} {v}" for k, v in s.classes]
    out.append("references by relation:")
    out += [f"  {verb_words(k):<24} {v}" for k, v in s.relations] or ["  (none)"]
    out.append("verification (instruments, subdivisions, citations):")
    out += [f"  {k:<24} {v}" for k, v in s.verification]
    for facet, counts in s.coverage.items():
        out.append(f"instruments by {facet}:")
        out += [f"  {k:<40} {v}" for k, v in counts]
    return "\n".join(out) + "\n"


def extracted_table(path: str, refs: list[ExtractedReference], with_file: bool = False) -> str:
    headers = (["file"] if with_file else []) + ["offsets", "surface", "resolved to", "pinpoint", "revision", "relation", "conf."]
    rows = []
    for r in refs:
        target = curie(r.instrument) if r.instrument else f"(unresolved) {r.label}"
        row = [f"{r.start}-{r.end}", " ".join(r.surface.split()), target, r.pinpoint or "", r.revision or "", r.relation or "", f"{r.confidence:.2f}"]
        rows.append(([path] if with_file else []) + row)
    if not rows:
        return f"{path}: no references found\n"
    notes = [f"  {r.start}-{r.end}: {r.note}" for r in refs if r.note]
    return table(headers, rows) + ("notes:\n" + "\n".join(notes) + "\n" if notes else "")


def outline(parts: list[Part], fmt: str) -> str:
    """Parts of a text: a table for people, or one JSON object per line with exactly Part's keys."""
    if fmt == "json":
        return "".join(json.dumps({k: getattr(p, k) for k in p.JSON_KEYS}, ensure_ascii=False) + "\n" for p in parts)
    rows = [[f"{p.start}-{p.end}", p.locator, p.kind, p.heading or "", p.text[:70] + ("…" if len(p.text) > 70 else "")]
            for p in parts]
    return table(["offsets", "locator", "kind", "in", "text"], rows) if rows else "no parts found\n"


def extracted_json(refs: list[ExtractedReference]) -> str:
    """One JSON object per line, with exactly the keys of ExtractedReference."""
    return "".join(json.dumps({k: getattr(r, k) for k in ExtractedReference.JSON_KEYS}, ensure_ascii=False) + "\n" for r in refs)


def extracted_turtle(kg: Any, doc: Any, refs: list[ExtractedReference]) -> str:
    from .extract.ingest import document_graph, to_turtle

    g = document_graph(doc, refs, ident=Path(doc.path).stem, relations=kg.catalog.verb_iris)
    return to_turtle(g).decode("utf-8")


def ingest_report(r: Any) -> str:
    line = f"{r.status}: {curie(r.iri)} ({r.path})"
    if r.status != "removed":
        line += f"; {r.references} reference(s) recorded"
        if r.unresolved:
            line += f", {len(r.unresolved)} not in the graph: " + "; ".join(r.unresolved)
    return line + "\n"
