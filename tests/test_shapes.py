"""The shapes as SPARQL on Oxigraph find exactly what pySHACL finds."""

from pathlib import Path

import pytest

from igkg.graph import KnowledgeGraph
from igkg.pipeline.compile import compile_graph
from igkg.pipeline.shapes import UnsupportedShape, translate
from igkg.pipeline.validate import validate_store

from .conftest import PREFIXES, ontology_plus, write_ttl
from .test_validate import BASE, BROKEN

CASES = [("conforming base", ""), *((name, extra) for name, extra, _, _ in BROKEN)]
QUICK_CASES = {"instrument without source"}  # pySHACL on the others runs in the full suite only


@pytest.mark.parametrize("extra", [pytest.param(extra, id=name, marks=() if name in QUICK_CASES else pytest.mark.slow) for name, extra in CASES])
def test_oxigraph_validation_reports_what_pyshacl_reports(tmp_path: Path, extra: str) -> None:
    path = write_ttl(tmp_path, "case.ttl", BASE + extra)
    kg = compile_graph(sources=ontology_plus(path), use_cache=False, backend="oxigraph")
    fast, reference = validate_store(kg.store), validate_store(kg.store, engine="pyshacl")
    assert fast.violations == reference.violations
    assert fast.conforms == (extra == "")


@pytest.mark.slow
def test_shipped_data_conforms_on_oxigraph_as_with_pyshacl() -> None:
    kg: KnowledgeGraph = compile_graph(backend="oxigraph")
    fast, reference = validate_store(kg.store), validate_store(kg.store, engine="pyshacl")
    assert fast.violations == reference.violations == ()


def test_every_shape_becomes_queries() -> None:
    constraints = translate()
    assert len(constraints) >= 20
    assert all(c.sparql.startswith("SELECT") and c.message for c in constraints)


def test_a_component_it_cannot_translate_is_refused(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(PREFIXES + """@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:S a sh:NodeShape ; sh:targetClass igkg:Instrument ;
    sh:property [ sh:path igkg:symbol ; sh:pattern "^A/" ] .
""", encoding="utf-8")
    with pytest.raises(UnsupportedShape, match="shacl#pattern"):
        translate(shapes)


def test_an_unknown_engine_is_refused(kg: KnowledgeGraph) -> None:
    with pytest.raises(ValueError, match="engine must be one of"):
        validate_store(kg.store, engine="shacl")
