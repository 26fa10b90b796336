"""Stage 2: entailments. Citation expansion rules, then the OWL 2 RL closure.

Two engines give the same closure: ``fast`` (the default, ``closure.py``: only the rules
the ontology can trigger) and ``owlrl`` (the reference OWL 2 RL reasoner). Choose with
``IGKG_REASONER`` or ``igkg build --reasoner``. Inferred triples go to their own named
graph; the asserted graphs are untouched.

Every store is compiled one way (store/oxigraph_compile.py), which runs the rules on Oxigraph.
``reason`` is the reference it is compared with: the rules on rdflib's engine, over an rdflib
Dataset (tests/test_reason.py, bench/run.py).

A build materialises the part of the closure igkg reads (``read_keep``): types in igkg's classes,
and the triples of the properties its SPARQL texts and code name. The alignments (CiTO, ELI, DCT,
PROV ...), the inverse properties and the rest are derived when asked for: ``export --inferred``,
``push`` and SPARQL text of the user's own compile the full closure (compile.py, ``full``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .. import resources
from ..vocab import DCT, GRAPH_INFERRED, IGKG, OWL, PREFIXES, RDF, RDFS, SKOS
from .closure import Keep, owl_rl_closure
from .closure import closure as fast_closure
from .load import asserted_graph

# owlrl also derives tautologies (x owl:sameAs x, x a owl:Thing, p subPropertyOf p);
# they hold for every node, say nothing, and would outnumber the useful triples.
_REFLEXIVE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
_UNIVERSAL_TYPES = {OWL.Thing, RDFS.Resource}

Triple = tuple[Node, Node, Node]


def is_trivial(make: Callable[[str], Any], is_literal: Callable[[Any], bool]) -> Callable[[tuple[Any, Any, Any]], bool]:
    """The tautology test for triples of the term type ``make`` builds (rdflib's, pyoxigraph's or
    the Oxigraph reasoner's integers)."""
    reflexive = {make(str(t)) for t in _REFLEXIVE}
    universal = {make(str(t)) for t in _UNIVERSAL_TYPES}
    rdf_type = make(str(RDF.type))

    def trivial(triple: tuple[Any, Any, Any]) -> bool:
        s, p, o = triple
        if is_literal(s):  # owlrl reasons in generalised RDF; such triples cannot be written
            return True
        if p in reflexive and s == o:
            return True
        return p == rdf_type and o in universal

    return trivial


_trivial = is_trivial(URIRef, lambda t: isinstance(t, Literal))


def apply_rules(graph: Graph) -> set[Triple]:
    """Run every CONSTRUCT rule in ontology/rules over the graph; return what they derive."""
    derived: set[Triple] = set()
    for text in rule_texts():
        for t in graph.query(text):
            derived.add(t)  # type: ignore[arg-type]
    return derived


def rule_texts() -> list[str]:
    """The CONSTRUCT rules of ontology/rules, in the order they run."""
    return [rule.read_text(encoding="utf-8") for rule in sorted(resources.rules_dir().glob("*.rq"))]


def rule_patterns(texts: Iterable[str]) -> dict[URIRef, frozenset[Node] | None] | None:
    """The predicates the rules' patterns read, each with the objects it is read with (None: any
    object), or None where a pattern's predicate is a variable or a property path: then they
    may read any triple. Run on just the triples these patterns match, the rules derive what
    they derive from the whole graph."""
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    found: dict[URIRef, set[Node] | None] = {}

    def walk(node: Any) -> bool:
        if isinstance(node, (list, tuple)):
            return all(walk(x) for x in node)
        if not isinstance(node, CompValue):
            return True
        for key, value in node.items():
            if key == "template":  # what a CONSTRUCT writes, not what it reads
                continue
            if key == "triples":
                for _, p, o in value:
                    if not isinstance(p, URIRef):
                        return False
                    objects = found.setdefault(p, set())
                    if objects is not None and not isinstance(o, Variable):
                        objects.add(o)
                    else:
                        found[p] = None
            elif not walk(value):
                return False
        return True

    if not all(walk(prepareQuery(text).algebra) for text in texts):
        return None
    return {p: None if objects is None else frozenset(objects) for p, objects in found.items()}


# What igkg's Python code reads of the graph that its SPARQL texts may not name (the name index,
# show, lineage, stats); tests/test_reason.py holds this list to the code.
CODE_READS = (
    RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.editorialNote, SKOS.Concept, DCT.source,
    IGKG.partOf, IGKG.within, IGKG.includes, IGKG.number, IGKG.inSeries, IGKG.revises, IGKG.verification,
    IGKG.unverified, IGKG.symbol, IGKG.title, IGKG.adoptedBy, IGKG.adoptedAt, IGKG.dateAdopted, IGKG.meetingOf,
    IGKG.subOrganizationOf, IGKG.concernsProcess, IGKG.partOfProcess, IGKG.distinctFrom, IGKG.convenedBy,
    IGKG.discussedAt, IGKG.annexTo, IGKG.heading, IGKG.verbForm,
)
# The citation network reads every reference verb: each property below these.
READ_BELOW = (IGKG.refersTo,)
_IRI = re.compile(r"<([^<>\s]+)>")
_PREFIXED = re.compile(r"(?<![\w<#/])([A-Za-z][\w-]*)?:([A-Za-z_][\w-]*)")
_DECLARED = re.compile(r"(?i)@?prefix\s+([A-Za-z][\w-]*)?:\s*<([^<>\s]+)>")


@lru_cache(maxsize=1)
def read_terms() -> frozenset[str]:
    """Every IRI named by the SPARQL texts that run on a compiled graph (named queries, checks,
    rules) and by the shapes, and ``CODE_READS``."""
    texts = [*resources.queries_dir().glob("*.rq"), *resources.checks_dir().glob("*.rq"),
             *resources.rules_dir().glob("*.rq"), resources.shapes_file()]
    found = {str(t) for t in CODE_READS}
    for path in texts:
        text = path.read_text(encoding="utf-8")
        prefixes = {p: str(ns) for p, ns in PREFIXES.items()} | {p or "": ns for p, ns in _DECLARED.findall(text)}
        found.update(_IRI.findall(text))
        found.update(prefixes[p or ""] + local for p, local in _PREFIXED.findall(text) if (p or "") in prefixes)
    return frozenset(found)


def read_keep(make: Callable[[str], Any], iri: Callable[[Any], str | None]) -> Keep:
    """The part of the closure a build materialises, for terms ``make`` builds from an IRI and
    ``iri`` turns back (None for a literal or blank node)."""
    named = read_terms()

    def igkg_class(c: Any) -> bool:
        name = iri(c)
        return name is not None and (name.startswith(str(IGKG)) or name in named)

    return Keep(predicates=frozenset(make(t) for t in named), below=frozenset(make(str(t)) for t in READ_BELOW),
                classes=igkg_class)


REASONERS = ("fast", "owlrl")


def default_reasoner() -> str:
    """IGKG_REASONER, or fast."""
    return resources.setting("IGKG_REASONER", REASONERS)


def reason(ds: Dataset, reasoner: str | None = None) -> Graph:
    """Fill the inferred named graph of ``ds`` and return it (the reference path)."""
    engine = fast_closure if (reasoner or default_reasoner()) == "fast" else owl_rl_closure
    base = asserted_graph(ds)
    asserted = set(base)
    closure = engine(asserted | apply_rules(base))
    inferred = ds.graph(GRAPH_INFERRED)
    inferred.remove((None, None, None))
    for t in closure - asserted:
        if not _trivial(t):
            inferred.add(t)
    return inferred
