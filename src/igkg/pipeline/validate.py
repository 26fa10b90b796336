"""Stage 3: validation. SHACL shapes (pySHACL) plus SPARQL hygiene checks whose rows are problems."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph
from rdflib.namespace import RDF, SH

from .. import resources
from ..models import ValidationReport, Violation
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


def hygiene_violations(data: Graph, checks: Path | None = None) -> list[Violation]:
    """Run every hygiene check (``ontology/checks/*.rq``); each row is a problem.

    On the Oxigraph backend the checks run on Oxigraph itself.
    """
    from ..store.oxigraph import native_queries, native_store

    store = native_store(data)  # type: ignore[arg-type]
    files = sorted((checks or resources.checks_dir()).glob("*.rq"))
    # On Oxigraph a check's form written for its planner, where there is one.
    chosen = [(resources.oxigraph_form(f) if store is not None else None) or f for f in files]
    texts = [f.read_text(encoding="utf-8") for f in chosen]
    results: list[Iterable] = (  # type: ignore[type-arg]
        [r.rows for r in native_queries(store, texts)] if store is not None else [data.query(t) for t in texts])
    found = []
    for check, rows in zip(files, results, strict=True):
        for row in rows:
            focus, message = row[0], row[1]  # type: ignore[index]
            found.append(Violation(check=check.stem, focus=str(focus), message=str(message)))
    return found


ENGINES = ("auto", "pyshacl")


def validate_dataset(ds: Dataset, engine: str = "auto") -> ValidationReport:
    """Validate the compiled dataset (asserted and inferred graphs together).

    ``auto`` validates an Oxigraph-backed dataset on Oxigraph (the shapes as SPARQL, see
    fastvalidate.py) and an in-memory one with pySHACL; ``pyshacl`` always uses pySHACL,
    the reference.
    """
    from ..store.oxigraph import native_store

    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}")
    start = time.perf_counter()
    store = native_store(ds)
    if store is not None and engine == "auto":
        from .shapes import shacl_violations as fast_shacl

        violations = fast_shacl(store) + hygiene_violations(ds)
    else:
        data = _union(ds)
        violations = shacl_violations(data) + hygiene_violations(data)
    violations.sort(key=lambda v: (v.check, v.focus, v.path or "", v.message))
    return ValidationReport(
        conforms=not violations,
        violations=tuple(violations),
        seconds=time.perf_counter() - start,
    )
