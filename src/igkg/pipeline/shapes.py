"""The SHACL shapes as whole-graph SPARQL queries, run by any store.

pySHACL, the reference, walks the graph focus node by focus node in Python. Here each
constraint of ``ontology/shapes.ttl`` becomes one SELECT over the whole store, whose rows are
the violations, as the hygiene checks are. Each pattern is a sub-select (``subselect``). Only the SHACL
Core components the shapes use are translated — targetClass, property
shapes with an IRI path, sh:node, sh:minCount, sh:maxCount, sh:class, sh:datatype, sh:in, sh:minInclusive,
sh:nodeKind, sh:or (of class tests, or of property shapes at node level) and
sh:qualifiedValueShape with sh:class; any other component is refused with
``UnsupportedShape`` rather than skipped, so the two engines cannot drift apart silently.
It validates compiled graphs only (types closed under sub-classes, as the build leaves them).
``tests/test_shapes.py`` checks that both give the same violations.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node as RDFNode

from .. import resources
from ..errors import IgkgError
from ..models import Violation
from ..store import GraphStore
from ..store.sparql import subselect
from ..vocab import XSD
from .load import parse_file

# Datatypes whose lexical form Oxigraph can check with a cast (an ill-formed one casts to nothing).
_CASTABLE = {XSD.date, XSD.dateTime, XSD.time, XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.gYear}
_NODE_KINDS: dict[RDFNode, str] = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
    SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}
# What a shape may say besides its constraints: read elsewhere, or only words for people.
_NOT_CONSTRAINTS = {RDF.type, SH.targetClass, SH.property, SH.path, SH.message, SH.name, SH.description, RDFS.comment, RDFS.label}
_COMPONENTS = {SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH["in"], SH.nodeKind, SH["or"], SH.node,
               SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.minInclusive}


class UnsupportedShape(IgkgError):
    """The shapes use a SHACL feature the fast validator does not translate; use pySHACL."""


@dataclass(frozen=True)
class Constraint:
    """One SELECT whose rows (?focus, and ?value where there is one) violate a constraint."""

    sparql: str
    path: str | None
    message: str


def _n3(term: RDFNode) -> str:
    return term.n3()


def _instance_of(var: str, cls: RDFNode) -> str:
    # SHACL's test is rdf:type/rdfs:subClassOf*; the build materializes the type closure
    # (cax-sco), so on a compiled graph one rdf:type hop is the same test, without a path
    # evaluation per value.
    return f"{var} a {_n3(cls)} ."


def _flag(var: str, flag: str, pattern: str) -> str:
    """OPTIONAL binding ``flag`` to true for each ``var`` that matches ``pattern``."""
    return f"OPTIONAL {subselect(f'{var} (true AS {flag})', pattern, distinct=True)}"


class _Translator:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes

    def constraints(self) -> Iterator[Constraint]:
        for shape in sorted(set(self.g.subjects(SH.targetClass, None)), key=str):
            targets = sorted(self.g.objects(shape, SH.targetClass), key=str)
            focus = subselect("?focus", " UNION ".join(f"{{ {_instance_of('?focus', c)} }}" for c in targets), distinct=True)
            yield from self._node_shape(shape, focus, self._message(shape))

    def _message(self, shape: RDFNode, default: str = "violates a shape") -> str:
        msg = self.g.value(shape, SH.message)
        return str(msg) if msg is not None else default

    def _check_known(self, shape: RDFNode) -> None:
        for p in set(self.g.predicates(shape, None)):
            if p not in _NOT_CONSTRAINTS and p not in _COMPONENTS:
                raise UnsupportedShape(f"shape {shape.n3()} uses {p.n3()}, which the Oxigraph validator does not translate; use pySHACL")

    def _node_shape(self, shape: RDFNode, focus: str, message: str) -> Iterator[Constraint]:
        self._check_known(shape)
        for other in self.g.objects(shape, SH.node):
            yield from self._node_shape(other, focus, self._message(other, message))
        for prop in self.g.objects(shape, SH.property):
            yield from self._property_shape(prop, focus)
        alternatives = self.g.value(shape, SH["or"])
        if alternatives is not None:
            flags = []
            for i, alt in enumerate(Collection(self.g, alternatives)):
                path, minimum = self.g.value(alt, SH.path), self.g.value(alt, SH.minCount)
                if path is None or minimum is None or int(str(minimum)) != 1 or set(self.g.predicates(alt, None)) - {SH.path, SH.minCount}:
                    raise UnsupportedShape(f"shape {shape.n3()}: sh:or at node level is translated only for [ sh:path …; sh:minCount 1 ]")
                flags.append((f"?has{i}", _flag("?focus", f"?has{i}", f"?focus {_n3(path)} ?any")))
            none = " && ".join(f"!BOUND({f})" for f, _ in flags)
            yield Constraint(f"SELECT DISTINCT ?focus (?focus AS ?value) WHERE {{ {focus} {' '.join(c for _, c in flags)} "
                             f"FILTER({none}) }}", None, message)

    def _property_shape(self, prop: RDFNode, focus: str) -> Iterator[Constraint]:
        self._check_known(prop)
        path = self.g.value(prop, SH.path)
        if not isinstance(path, URIRef):
            raise UnsupportedShape(f"property shape {prop.n3()}: only IRI paths are translated")
        p, msg, g = _n3(path), self._message(prop), self.g
        values = subselect("?focus ?value", f"?focus {p} ?value")

        def counted(cls: RDFNode | None, low: RDFNode | None, high: RDFNode | None) -> Iterator[Constraint]:
            # A minimum and a maximum in one pass over the focus nodes: no node can break both.
            tests = ([f"COUNT(DISTINCT ?value) < {int(str(low))}"] if low is not None else []) + (
                [f"COUNT(DISTINCT ?value) > {int(str(high))}"] if high is not None else [])
            if tests:
                counted_values = values if cls is None else f"{values} {subselect('?value', _instance_of('?value', cls), distinct=True)}"
                yield Constraint(f"SELECT ?focus WHERE {{ {focus} OPTIONAL {{ {counted_values} }} }} "
                                 f"GROUP BY ?focus HAVING ({' || '.join(tests)})", str(path), msg)

        def per_value(violates: str, extra: str = "") -> Constraint:
            sparql = f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} {values} {extra} FILTER({violates}) }}"
            return Constraint(sparql, str(path), msg)

        def of_classes(classes: list[RDFNode]) -> str:
            return _flag("?value", "?typed", " UNION ".join(f"{{ {_instance_of('?value', c)} }}" for c in classes))

        yield from counted(None, g.value(prop, SH.minCount), g.value(prop, SH.maxCount))
        if (cls := g.value(prop, SH["class"])) is not None:
            yield per_value("!BOUND(?typed)", of_classes([cls]))
        if (dt := g.value(prop, SH.datatype)) is not None:
            cast = f"BIND({_n3(dt)}(STR(?value)) AS ?cast)" if dt in _CASTABLE else ""
            ill_formed = " || !BOUND(?cast)" if cast else ""
            yield per_value(f"!isLiteral(?value) || datatype(?value) != {_n3(dt)}{ill_formed}", cast)
        if (low := g.value(prop, SH.minInclusive)) is not None:
            # A value that cannot be compared fails too, as in SHACL (an ill-typed one is also flagged above).
            yield per_value(f"!COALESCE(?value >= {_n3(low)}, false)")
        if (members := g.value(prop, SH["in"])) is not None:
            allowed = " || ".join(f"sameTerm(?value, {_n3(m)})" for m in Collection(g, members))
            yield per_value(f"!({allowed})")
        if (kind := g.value(prop, SH.nodeKind)) is not None:
            if kind not in _NODE_KINDS:
                raise UnsupportedShape(f"property shape {prop.n3()}: unknown sh:nodeKind {kind.n3()}")
            yield per_value(f"!{_NODE_KINDS[kind]}")
        if (alternatives := g.value(prop, SH["or"])) is not None:
            classes = []
            for alt in Collection(g, alternatives):
                cls = g.value(alt, SH["class"])
                if cls is None or set(g.predicates(alt, None)) - {SH["class"]}:
                    raise UnsupportedShape(f"property shape {prop.n3()}: sh:or is translated only for alternatives of one sh:class")
                classes.append(cls)
            yield per_value("!BOUND(?typed)", of_classes(classes))
        if (qualified := g.value(prop, SH.qualifiedValueShape)) is not None:
            cls = g.value(qualified, SH["class"])
            if cls is None or set(g.predicates(qualified, None)) - {SH["class"]}:
                raise UnsupportedShape(f"property shape {prop.n3()}: sh:qualifiedValueShape is translated only for one sh:class")
            yield from counted(cls, g.value(prop, SH.qualifiedMinCount), g.value(prop, SH.qualifiedMaxCount))


def translate(shapes_path: Path | None = None) -> list[Constraint]:
    """The shapes file as one SPARQL query per constraint."""
    return list(_Translator(parse_file(shapes_path or resources.shapes_file())).constraints())


def shacl_violations(store: GraphStore, shapes_path: Path | None = None) -> list[Violation]:
    """The violations of the shapes in ``store`` (asserted and inferred graphs together)."""
    found = []
    constraints = translate(shapes_path)
    for c, result in zip(constraints, store.query_many([c.sparql for c in constraints]), strict=True):
        for row in result.rows:
            value = row[1] if len(row) > 1 else None
            found.append(Violation(
                check="shacl", focus=str(row[0]), message=c.message, path=c.path,
                value=str(value) if value is not None else None,
            ))
    return found
