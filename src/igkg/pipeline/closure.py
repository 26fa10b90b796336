"""A fast path to the same entailments as owlrl, for the OWL 2 RL rules igkg's ontology uses.

owlrl, the reference, applies every OWL 2 RL rule to the whole graph until nothing
changes, in pure Python over rdflib. This engine applies only the rules
the ontology can trigger — class and property hierarchy (scm-cls, scm-sco, scm-eqc, scm-op,
scm-dp, scm-spo, scm-eqp, scm-dom, scm-rng), typing (cax-sco, prp-dom, prp-rng), property
rules (prp-spo1, prp-inv, prp-symp, prp-trp) — in two strata:

1. the schema (sub-class, sub-property, domain, range, inverse, equivalence, the property
   and class types) is closed by an agenda of new triples over three indexes;
2. with the schema fixed, each instance triple is expanded at once into every triple the
   sub-property, inverse and symmetry rules give it, each transitive property is kept
   closed as its edges arrive, and types follow from domains, ranges and super-classes.

Stratum 2 is only valid while instance triples never derive schema triples (a property
below rdfs:subClassOf, a domain of owl:Class …). Where one does, the whole closure is
recomputed by the agenda, so the answer is the same either way.

The engine works on any hashable terms: rdflib's (``RDFLIB``) or pyoxigraph's
(``vocabulary(pyoxigraph.NamedNode, convert)``). The axioms owlrl adds to every graph are
taken from owlrl itself, by closing the empty graph once.
``tests/test_reason.py`` checks that both engines produce the same inferred graph.

Given a ``Keep``, the engine derives only the instance triples of the properties and classes it
names (the schema is always closed whole): the part of the closure igkg's own queries read,
identical to the full closure restricted to those terms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..vocab import OWL, RDF, RDFS

Term = Any  # any hashable RDF term: rdflib's or pyoxigraph's
Triple = tuple[Term, Term, Term]


@dataclass(frozen=True)
class Vocabulary:
    """The RDF, RDFS and OWL terms the rules name, in one term type, and owlrl's axioms in it."""

    type: Term
    sco: Term
    spo: Term
    eqc: Term
    eqp: Term
    dom: Term
    rng: Term
    inv: Term
    thing: Term
    nothing: Term
    cls: Term
    object_property: Term
    datatype_property: Term
    symmetric: Term
    transitive: Term
    axioms: frozenset[Triple]

    # Asked once per triple: kept as fields rather than rebuilt on every call.
    schema_predicates: frozenset[Term] = field(init=False)
    schema_classes: frozenset[Term] = field(init=False)

    def __post_init__(self) -> None:
        preds = (self.sco, self.spo, self.eqc, self.eqp, self.dom, self.rng, self.inv)
        classes = (self.cls, self.object_property, self.datatype_property, self.symmetric, self.transitive)
        object.__setattr__(self, "schema_predicates", frozenset(preds))
        object.__setattr__(self, "schema_classes", frozenset(classes))

    def is_schema(self, t: Triple) -> bool:
        """A triple some rule reads as schema: stratum 1 closes these."""
        return t[1] in self.schema_predicates or (t[1] == self.type and t[2] in self.schema_classes)


@dataclass(frozen=True)
class Keep:
    """Which derived instance triples a closure keeps: those whose predicate is in ``predicates``
    or below one of ``below`` (rdfs:subPropertyOf, after the schema is closed), and the types
    whose class ``classes`` accepts."""

    predicates: frozenset[Term]
    below: frozenset[Term]
    classes: Callable[[Term], bool]

    def tester(self, tbox: Iterable[Triple], v: Vocabulary) -> Callable[[Triple], bool]:
        """Whether a triple is kept, given the closed schema ``tbox``; schema triples always are."""
        kept = self.predicates | self.below | v.schema_predicates | {s for s, p, o in tbox if p == v.spo and o in self.below}
        classes: dict[Term, bool] = {}  # asked once per class, not once per typed node

        def test(t: Triple) -> bool:
            if t[1] != v.type:
                return t[1] in kept
            c = t[2]
            if c not in classes:
                classes[c] = c in v.schema_classes or self.classes(c)
            return classes[c]

        return test


@lru_cache(maxsize=1)
def owlrl_axioms() -> frozenset[Triple]:
    """What owlrl derives from nothing: the datatypes, annotation properties, owl:Thing …"""
    return frozenset(owl_rl_closure(set()))


def vocabulary(make: Callable[[str], Term], convert: Callable[[Term], Term] | None = None) -> Vocabulary:
    """The vocabulary in the term type ``make`` builds; ``convert`` turns owlrl's (rdflib) axioms into it."""
    terms = {
        "type": RDF.type, "sco": RDFS.subClassOf, "spo": RDFS.subPropertyOf, "eqc": OWL.equivalentClass,
        "eqp": OWL.equivalentProperty, "dom": RDFS.domain, "rng": RDFS.range, "inv": OWL.inverseOf,
        "thing": OWL.Thing, "nothing": OWL.Nothing, "cls": OWL.Class, "object_property": OWL.ObjectProperty,
        "datatype_property": OWL.DatatypeProperty, "symmetric": OWL.SymmetricProperty, "transitive": OWL.TransitiveProperty,
    }
    axioms = owlrl_axioms()
    if convert is not None:
        axioms = frozenset((convert(s), convert(p), convert(o)) for s, p, o in axioms)
    return Vocabulary(**{k: make(str(t)) for k, t in terms.items()}, axioms=axioms)


@lru_cache(maxsize=1)
def _rdflib_vocabulary() -> Vocabulary:
    from rdflib import URIRef

    return vocabulary(URIRef)


class _Index:
    def __init__(self) -> None:
        self.all: set[Triple] = set()
        self.sp: dict[Term, dict[Term, set[Term]]] = defaultdict(lambda: defaultdict(set))
        self.po: dict[tuple[Term, Term], set[Term]] = defaultdict(set)
        self.p: dict[Term, set[tuple[Term, Term]]] = defaultdict(set)

    def add(self, t: Triple) -> bool:
        if t in self.all:
            return False
        s, p, o = t
        self.all.add(t)
        self.sp[s][p].add(o)
        self.po[(p, o)].add(s)
        self.p[p].add((s, o))
        return True

    def objects(self, s: Term, p: Term) -> set[Term]:
        inner = self.sp.get(s)
        return inner.get(p, set()) if inner is not None else set()

    def subjects(self, p: Term, o: Term) -> set[Term]:
        return self.po.get((p, o), set())

    def has_type(self, s: Term, c: Term, v: Vocabulary) -> bool:
        return c in self.objects(s, v.type)


def closure(triples: Iterable[Triple], vocab: Vocabulary | None = None, keep: Keep | None = None) -> set[Triple]:
    """Every triple of ``triples`` plus what the rules above derive from them (and owlrl's axioms);
    with ``keep``, only the derived triples it keeps."""
    v = vocab or _rdflib_vocabulary()
    given = set(triples)
    schema = {t for t in given if v.is_schema(t)}
    tbox = agenda_closure(schema, v)
    derived = _instance_closure(given - schema if schema else given, tbox, v, keep)
    if derived is None:  # instance data may reach the schema: no strata
        full = agenda_closure(given, v)
        return full if keep is None else restrict(full, given, keep, v)
    return tbox | derived


def restrict(closed: set[Triple], given: set[Triple], keep: Keep, v: Vocabulary) -> set[Triple]:
    """Of a full closure of ``given``, what ``keep`` keeps: the given triples, the closed schema
    (with owlrl's axioms), and the derived instance triples it keeps; what ``closure`` gives
    with ``keep``, for a closure made otherwise (owlrl, or the agenda)."""
    tbox = agenda_closure({t for t in closed if v.is_schema(t)}, v)
    kept = keep.tester(tbox, v)
    return {t for t in closed if t in given or t in tbox or kept(t)}


def agenda_closure(triples: Iterable[Triple], v: Vocabulary) -> set[Triple]:
    """The closure by one agenda over every triple: slower, but valid for any input."""
    idx = _Index()
    agenda: list[Triple] = []

    def add(t: Triple) -> None:
        if idx.add(t):
            agenda.append(t)

    for t in (*v.axioms, *triples):
        add(t)
    while agenda:
        s, p, o = agenda.pop()
        for t in _consequences(idx, s, p, o, v):
            add(t)
    return idx.all


# --- stratum 2: instance triples over a closed schema ----------------------------------

class _Schema:
    """What the closed schema says of each property and class, as lookups."""

    def __init__(self, tbox: set[Triple], v: Vocabulary) -> None:
        self.sup: dict[Term, set[Term]] = defaultdict(set)
        self.inverse: dict[Term, set[Term]] = defaultdict(set)
        self.dom: dict[Term, set[Term]] = defaultdict(set)
        self.rng: dict[Term, set[Term]] = defaultdict(set)
        self.sup_class: dict[Term, set[Term]] = defaultdict(set)
        self.symmetric: set[Term] = set()
        self.transitive: set[Term] = set()
        for s, p, o in tbox:
            if p == v.spo:
                self.sup[s].add(o)
            elif p == v.inv:
                self.inverse[s].add(o)
                self.inverse[o].add(s)
            elif p == v.dom:
                self.dom[s].add(o)
            elif p == v.rng:
                self.rng[s].add(o)
            elif p == v.sco:
                self.sup_class[s].add(o)
            elif p == v.type and o == v.symmetric:
                self.symmetric.add(s)
            elif p == v.type and o == v.transitive:
                self.transitive.add(s)
        self._states: dict[Term, tuple[tuple[Term, bool], ...]] = {}

    def states(self, p: Term) -> tuple[tuple[Term, bool], ...]:
        """(property, flipped) for every triple prp-spo1, prp-inv and prp-symp derive from one p triple."""
        if (known := self._states.get(p)) is not None:
            return known
        seen = {(p, False)}
        todo = [(p, False)]
        while todo:
            q, flip = todo.pop()
            nxt = [(r, flip) for r in self.sup.get(q, ())] + [(r, not flip) for r in self.inverse.get(q, ())]
            if q in self.symmetric:
                nxt.append((q, not flip))
            for st in nxt:
                if st not in seen:
                    seen.add(st)
                    todo.append(st)
        self._states[p] = tuple(seen)
        return self._states[p]


def _instance_closure(facts: set[Triple], tbox: set[Triple], v: Vocabulary, keep: Keep | None = None) -> set[Triple] | None:
    """The instance triples the rules derive with the schema fixed (those ``keep`` keeps, and the
    facts themselves), or None where the strata do not hold: derived triples could be schema, or
    rdf:type itself has super-properties, inverses, a domain or a range."""
    sch = _Schema(tbox, v)
    if sch.states(v.type) != ((v.type, False),) or v.type in sch.transitive or sch.dom.get(v.type) or sch.rng.get(v.type):
        return None
    # Where a property leads to a schema predicate (or to rdf:type, whose objects may be schema
    # classes), or a domain, range or super-class is a schema class, derived triples could be
    # schema: the strata would be wrong, so the caller falls back.
    for p in {t[1] for t in facts} - {v.type}:
        if any(q in v.schema_predicates or q == v.type for q, _ in sch.states(p)):
            return None
    typing = [c for cs in (*sch.dom.values(), *sch.rng.values(), *sch.sup_class.values()) for c in cs]
    if any(c in v.schema_classes for c in typing):
        return None
    out: set[Triple] = set()
    closed: dict[Term, _Closure] = defaultdict(_Closure)  # each transitive property's edges, kept closed
    transitive, dom, rng, TYPE = sch.transitive, sch.dom, sch.rng, v.type
    kept = (lambda t: True) if keep is None else keep.tester(tbox, v)

    def wanted(q: Term) -> bool:
        # A transitive property is followed where what its chains give is kept, even if it is not.
        return kept((None, q, None)) or (q in transitive and any(kept((None, r, None)) for r, _ in sch.states(q)))

    supers: dict[Term, tuple[Term, ...]] = {}  # each class's kept super-classes, asked once

    def typed(classes: Iterable[Term]) -> tuple[Term, ...]:
        return tuple(c for c in classes if kept((None, TYPE, c)))

    # For each predicate, what one of its triples gives: (property, flipped, transitive?, kept?,
    # domains, ranges). Domains and ranges are closed under sub-classes in the schema
    # (scm-dom1, scm-rng1), so the types they give need no super-class step. A property not
    # kept still gives the types of its domain and range.
    Step = tuple[Term, bool, bool, bool, tuple[Term, ...], tuple[Term, ...]]
    plans: dict[Term, tuple[Step, ...]] = {}

    def plan(p: Term) -> tuple[Step, ...]:
        steps = []
        for q, flip in sch.states(p):
            emit, doms, rngs = wanted(q), typed(dom.get(q, ())), typed(rng.get(q, ()))
            if emit or doms or rngs:
                steps.append((q, flip, emit and q in transitive, emit, doms, rngs))
        plans[p] = tuple(steps)
        return plans[p]

    def expand(triples: Iterable[Triple]) -> list[Triple]:
        """Add what each triple gives under prp-spo1, prp-inv, prp-symp, prp-dom and prp-rng;
        return the triples prp-trp derives from the new ones, to be expanded in turn."""
        implied: list[Triple] = []
        add = out.add
        for s, p, o in triples:
            for q, flip, trans, emit, doms, rngs in plans[p] if p in plans else plan(p):
                t = (o, q, s) if flip else (s, q, o)
                if trans:
                    if t in out:
                        continue
                    implied.extend((a, q, b) for a, b in closed[q].link(t[0], t[2]))
                if emit:
                    add(t)
                for c in doms:
                    add((t[0], TYPE, c))
                for c in rngs:
                    add((t[2], TYPE, c))
        return implied

    for x, _, c in [t for t in facts if t[1] == TYPE]:  # cax-sco; rdf:type has no other rule here
        out.add((x, TYPE, c))
        if c not in supers:
            supers[c] = typed(sch.sup_class.get(c, ()))
        for d in supers[c]:
            out.add((x, TYPE, d))
    new = expand(t for t in facts if t[1] != TYPE)
    while new:
        new = expand(new)
    # The transitive properties followed only for what their chains give are dropped.
    followed = {step[0] for steps in plans.values() for step in steps if step[3] and not kept((None, step[0], None))}
    if followed:
        out = {t for t in out if t[1] not in followed or t in facts}
    return out


class _Closure:
    """A transitive relation kept closed as its edges arrive.

    Linking a to b adds every pair from a or a node that reaches a, to b or a node b reaches:
    work in proportion to the pairs it adds, and none for an edge already implied. Closing the
    whole edge set again after each round would redo that work only to find that an inverse's
    edges were closed already.
    """

    def __init__(self) -> None:
        self.succ: dict[Term, set[Term]] = defaultdict(set)
        self.pred: dict[Term, set[Term]] = defaultdict(set)

    def link(self, a: Term, b: Term) -> list[tuple[Term, Term]]:
        """Add the edge a → b; return the pairs it implies that were not there, other than (a, b)."""
        if b in self.succ[a]:
            return []
        # Copied first: with a cycle through a and b, the loop below grows these very sets.
        sources, targets = [a, *self.pred[a]], [b, *self.succ[b]]
        added: list[tuple[Term, Term]] = []
        for x in sources:
            reach = self.succ[x]
            for y in targets:
                if y not in reach:
                    reach.add(y)
                    self.pred[y].add(x)
                    if x != a or y != b:
                        added.append((x, y))
        return added


# --- stratum 1 (and the fallback): one rule application per new triple ---------------

def _consequences(idx: _Index, s: Term, p: Term, o: Term, v: Vocabulary) -> Iterable[Triple]:
    TYPE, SCO, SPO, EQC, EQP, DOM, RNG, INV = v.type, v.sco, v.spo, v.eqc, v.eqp, v.dom, v.rng, v.inv
    # Rules in which this triple is the instance premise (x p y).
    for q in idx.objects(p, SPO):  # prp-spo1
        yield (s, q, o)
    for q in idx.objects(p, INV):  # prp-inv1
        yield (o, q, s)
    for q in idx.subjects(INV, p):  # prp-inv2
        yield (o, q, s)
    if idx.has_type(p, v.symmetric, v):  # prp-symp
        yield (o, p, s)
    if idx.has_type(p, v.transitive, v):  # prp-trp, both joins
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
        if o == v.cls:  # scm-cls
            yield from ((s, SCO, s), (s, EQC, s), (s, SCO, v.thing), (v.nothing, SCO, s))
        elif o in (v.object_property, v.datatype_property):  # scm-op, scm-dp
            yield from ((s, SPO, s), (s, EQP, s))
        elif o == v.symmetric:
            for x, y in list(idx.p.get(s, ())):
                yield (y, s, x)
        elif o == v.transitive:
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


def owl_rl_closure(triples: Iterable[Triple]) -> set[Triple]:
    """The OWL 2 RL closure of the triples, by owlrl (the reference reasoner)."""
    import owlrl  # imported only when a graph is reasoned
    from rdflib import Graph

    g = Graph()
    for t in triples:
        g.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return set(g)
