"""A fast path to the same entailments as owlrl, for the OWL 2 RL rules igkg's ontology uses.

owlrl, the reference, applies every OWL 2 RL rule to the whole graph until nothing
changes, in pure Python over rdflib: ~4 ms per triple. This engine applies only the rules
the ontology can trigger — class and property hierarchy (scm-cls, scm-sco, scm-eqc, scm-op,
scm-dp, scm-spo, scm-eqp, scm-dom, scm-rng), typing (cax-sco, prp-dom, prp-rng), property
rules (prp-spo1, prp-inv, prp-symp, prp-trp) — and each only to what a new triple can
join with (an agenda of new triples and three indexes). The axioms owlrl adds to every
graph are taken from owlrl itself, by closing the empty graph once.

``tests/test_reason.py`` checks that both produce the same inferred graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rdflib.term import Node

from .vocab import OWL, RDF, RDFS

Triple = tuple[Node, Node, Node]

TYPE, SCO, SPO, EQC, EQP = RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty
DOM, RNG, INV = RDFS.domain, RDFS.range, OWL.inverseOf


@lru_cache(maxsize=1)
def owlrl_axioms() -> frozenset[Triple]:
    """What owlrl derives from nothing: the datatypes, annotation properties, owl:Thing …"""
    from .reason import owl_rl_closure

    return frozenset(owl_rl_closure(set()))


class _Index:
    def __init__(self) -> None:
        self.all: set[Triple] = set()
        self.sp: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        self.po: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
        self.p: dict[Node, set[tuple[Node, Node]]] = defaultdict(set)

    def add(self, t: Triple) -> bool:
        if t in self.all:
            return False
        s, p, o = t
        self.all.add(t)
        self.sp[s][p].add(o)
        self.po[(p, o)].add(s)
        self.p[p].add((s, o))
        return True

    def objects(self, s: Node, p: Node) -> set[Node]:
        inner = self.sp.get(s)
        return inner.get(p, set()) if inner is not None else set()

    def subjects(self, p: Node, o: Node) -> set[Node]:
        return self.po.get((p, o), set())

    def has_type(self, s: Node, c: Node) -> bool:
        return c in self.objects(s, TYPE)


def closure(triples: Iterable[Triple]) -> set[Triple]:
    """Every triple of ``triples`` plus what the rules above derive from them (and owlrl's axioms)."""
    idx = _Index()
    agenda: list[Triple] = []

    def add(t: Triple) -> None:
        if idx.add(t):
            agenda.append(t)

    for t in (*owlrl_axioms(), *triples):
        add(t)
    while agenda:
        s, p, o = agenda.pop()
        for t in _consequences(idx, s, p, o):
            add(t)
    return idx.all


def _consequences(idx: _Index, s: Node, p: Node, o: Node) -> Iterable[Triple]:
    # Rules in which this triple is the instance premise (x p y).
    for q in idx.objects(p, SPO):  # prp-spo1
        yield (s, q, o)
    for q in idx.objects(p, INV):  # prp-inv1
        yield (o, q, s)
    for q in idx.subjects(INV, p):  # prp-inv2
        yield (o, q, s)
    if idx.has_type(p, OWL.SymmetricProperty):  # prp-symp
        yield (o, p, s)
    if idx.has_type(p, OWL.TransitiveProperty):  # prp-trp, both joins
        for z in idx.objects(o, p):
            yield (s, p, z)
        for w in idx.subjects(p, s):
            yield (w, p, o)
    for c in idx.objects(p, DOM):  # prp-dom
        yield (s, TYPE, c)
    for c in idx.objects(p, RNG):  # prp-rng
        yield (o, TYPE, c)

    # Rules in which it is a schema premise.
    if p == TYPE:
        for d in idx.objects(o, SCO):  # cax-sco
            yield (s, TYPE, d)
        if o == OWL.Class:  # scm-cls
            yield from ((s, SCO, s), (s, EQC, s), (s, SCO, OWL.Thing), (OWL.Nothing, SCO, s))
        elif o in (OWL.ObjectProperty, OWL.DatatypeProperty):  # scm-op, scm-dp
            yield from ((s, SPO, s), (s, EQP, s))
        elif o == OWL.SymmetricProperty:
            for x, y in list(idx.p.get(s, ())):
                yield (y, s, x)
        elif o == OWL.TransitiveProperty:
            for x, y in list(idx.p.get(s, ())):
                for z in idx.objects(y, s):
                    yield (x, s, z)
    elif p == SCO:
        for x in list(idx.subjects(TYPE, s)):  # cax-sco
            yield (x, TYPE, o)
        for e in idx.objects(o, SCO):  # scm-sco
            yield (s, SCO, e)
        for b in idx.subjects(SCO, s):
            yield (b, SCO, o)
        if s in idx.objects(o, SCO):  # scm-eqc2
            yield from ((s, EQC, o), (o, EQC, s))
        for prop in list(idx.subjects(DOM, s)):  # scm-dom1
            yield (prop, DOM, o)
        for prop in list(idx.subjects(RNG, s)):  # scm-rng1
            yield (prop, RNG, o)
    elif p == SPO:
        for x, y in list(idx.p.get(s, ())):  # prp-spo1
            yield (x, o, y)
        for r in idx.objects(o, SPO):  # scm-spo
            yield (s, SPO, r)
        for q in idx.subjects(SPO, s):
            yield (q, SPO, o)
        if s in idx.objects(o, SPO):  # scm-eqp2
            yield from ((s, EQP, o), (o, EQP, s))
        for c in idx.objects(o, DOM):  # scm-dom2
            yield (s, DOM, c)
        for c in idx.objects(o, RNG):  # scm-rng2
            yield (s, RNG, c)
    elif p == EQC:  # scm-eqc1
        yield from ((s, SCO, o), (o, SCO, s))
    elif p == EQP:  # scm-eqp1
        yield from ((s, SPO, o), (o, SPO, s))
    elif p == DOM:
        for x, _ in list(idx.p.get(s, ())):  # prp-dom
            yield (x, TYPE, o)
        for d in idx.objects(o, SCO):  # scm-dom1
            yield (s, DOM, d)
        for q in idx.subjects(SPO, s):  # scm-dom2
            yield (q, DOM, o)
    elif p == RNG:
        for _, y in list(idx.p.get(s, ())):  # prp-rng
            yield (y, TYPE, o)
        for d in idx.objects(o, SCO):  # scm-rng1
            yield (s, RNG, d)
        for q in idx.subjects(SPO, s):  # scm-rng2
            yield (q, RNG, o)
    elif p == INV:
        for x, y in list(idx.p.get(s, ())):  # prp-inv1
            yield (y, o, x)
        for x, y in list(idx.p.get(o, ())):  # prp-inv2
            yield (y, s, x)
