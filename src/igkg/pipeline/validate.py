"""Stage 3: validation. SHACL shapes plus SPARQL hygiene checks whose rows are problems."""

from __future__ import annotations

import time
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph
from rdflib.namespace import RDF, SH

from .. import resources
from ..models import ValidationReport, Violation
from ..store import GraphStore
from ..vocab import PREFIXES
from .load import parse_file


def _union(ds: Dataset) -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for t in ds.triples((None, None, None)):
        g.add(t)
    return g


def shacl_violations(data: Graph, shapes_path: Path | None = None) -> list[Violation]:
    """Run the SHACL shapes over an already-reasoned graph."""
    shapes = parse_file(shapes_path or resources.shapes_file())
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    found = []
    for result in _leaf_results(results):
        message = results.value(result, SH.resultMessage)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        found.append(
            Violation(
                check="shacl",
                focus=str(results.value(result, SH.focusNode)),
                message=str(message) if message is not None else "violates a shape",
                path=str(path) if path is not None else None,
                value=str(value) if value is not None else None,
            )
        )
    return found


def _leaf_results(results: Graph) -> list:
    """Top-level results, with an sh:node failure replaced by the nested results that explain it."""
    out, todo = [], [r for report in results.subjects(RDF.type, SH.ValidationReport) for r in results.objects(report, SH.result)]
    while todo:
        r = todo.pop()
        details = list(results.objects(r, SH.detail))
        if details:
            todo.extend(details)
        else:
            out.append(r)
    return out


def hygiene_violations(store: GraphStore, checks: Path | None = None) -> list[Violation]:
    """Run every hygiene check (``ontology/checks/*.rq``); each row is a problem."""
    files = sorted((checks or resources.checks_dir()).glob("*.rq"))
    results = store.query_many([f.read_text(encoding="utf-8") for f in files])
    found = []
    for check, result in zip(files, results, strict=True):
        for row in result.rows:
            found.append(Violation(check=check.stem, focus=str(row[0]), message=str(row[1])))
    return found


ENGINES = ("sparql", "pyshacl")


def validate_store(store: GraphStore, engine: str | None = None) -> ValidationReport:
    """Validate a compiled graph (asserted and inferred graphs together) against the shapes and
    the hygiene checks. ``sparql`` runs the shapes as SPARQL on the store itself (shapes.py);
    ``pyshacl`` runs them with pySHACL, the reference, on a copy of the graph; by default, what
    the store asks for (``GraphStore.shacl_engine``)."""
    engine = engine or store.shacl_engine
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}")
    start = time.perf_counter()
    if engine == "sparql":
        from .shapes import shacl_violations as sparql_shacl

        violations = sparql_shacl(store)
    else:
        violations = shacl_violations(_union(store.dataset))
    violations += hygiene_violations(store)
    violations.sort(key=lambda v: (v.check, v.focus, v.path or "", v.message))
    return ValidationReport(
        conforms=not violations,
        violations=tuple(violations),
        seconds=time.perf_counter() - start,
    )
