"""Counts over the compiled graph: triples per named graph, instances per class, references per verb."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.term import Node as RDFNode

from ..models import Stats
from ..store import GraphStore
from ..store.sparql import subselect
from ..vocab import IGKG
from .nodes import label, relation_name, status_label

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph


def _ranked(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _facts(store: GraphStore, typ: URIRef, props: tuple[URIRef, ...]) -> dict[RDFNode, tuple[RDFNode | None, ...]]:
    """Each node of class ``typ`` with one value (or None) per property, as ``g.value`` gives it:
    one query for all nodes; a property a node holds twice is asked of ``g.value``, so every store
    picks the same value."""
    g = store.dataset
    names = [f"?v{i}" for i in range(len(props))]
    optionals = " ".join(f"OPTIONAL {subselect(f'?s {n}', f'?s <{p}> {n}')}" for p, n in zip(props, names, strict=True))
    seen: dict[RDFNode, list[set[RDFNode]]] = {}
    text = f"SELECT ?s {' '.join(names)} WHERE {{ {subselect('?s', f'?s a <{typ}>')} {optionals} }}"
    for s, *row in store.query(text).rows:
        values = seen.setdefault(s, [set() for _ in props])  # type: ignore[arg-type]
        for held, value in zip(values, row, strict=True):
            if value is not None:
                held.add(value)
    return {
        s: tuple(next(iter(v)) if len(v) == 1 else (g.value(s, p) if v else None) for p, v in zip(props, values, strict=True))
        for s, values in seen.items()
    }


def _class_sizes(store: GraphStore) -> dict[RDFNode, int]:
    """How many distinct nodes each igkg class has."""
    # HAVING, not FILTER: the test then reads each class's name once, not once per typed node.
    text = f'SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c }} GROUP BY ?c HAVING(STRSTARTS(STR(?c), "{IGKG}"))'
    return {c: int(n) for c, n in store.query(text).rows}  # type: ignore[arg-type, misc]


def coverage(store: GraphStore) -> dict[str, tuple[tuple[str, int], ...]]:
    """Instruments counted by family (the adopting body's parent organization), body, decade and verification."""
    family: Counter[str] = Counter()
    body: Counter[str] = Counter()
    decade: Counter[str] = Counter()
    checks: Counter[RDFNode | None] = Counter()
    names: dict[RDFNode, tuple[str, str]] = {}  # adopter -> (its label, its family's), asked once per body
    g = store.dataset
    for adopter, date, checked in _facts(store, IGKG.Instrument, (IGKG.adoptedBy, IGKG.dateAdopted, IGKG.verification)).values():
        if adopter is not None:
            if adopter not in names:
                root = adopter
                for parent in g.transitive_objects(adopter, IGKG.subOrganizationOf):
                    if parent is not None:
                        root = parent
                names[adopter] = (label(g, adopter), label(g, root))
            body[names[adopter][0]] += 1
            family[names[adopter][1]] += 1
        decade[f"{str(date)[:3]}0s" if date is not None else "undated"] += 1
        checks[checked] += 1
    status = _by_label(g, checks)
    return {"family": _ranked(family), "body": _ranked(body), "decade": _ranked(decade), "verification": _ranked(status)}


def _statuses(store: GraphStore, typ: URIRef) -> Counter[RDFNode | None]:
    """How many nodes of class ``typ`` have each verification status (None: none), a node's
    status being what ``g.value`` gives, as in ``_facts``: the nodes are counted in SPARQL, and
    only a node holding two statuses is asked of ``g.value``."""
    per_node = (
        f"{{ SELECT ?s (COUNT(DISTINCT ?x) AS ?k) (SAMPLE(?x) AS ?v) WHERE {{ {subselect('?s', f'?s a <{typ}>')}"
        f" OPTIONAL {subselect('?s ?x', f'?s <{IGKG.verification}> ?x')} }} GROUP BY ?s }}"
    )
    counts: Counter[RDFNode | None] = Counter()
    twice = False
    for k, v, n in store.query(f"SELECT ?k ?v (COUNT(?s) AS ?n) WHERE {{ {per_node} }} GROUP BY ?k ?v").rows:
        if int(k) < 2:  # type: ignore[call-overload]
            counts[v] += int(n)  # type: ignore[call-overload]
        else:
            twice = True
    if twice:  # shapes.ttl allows one status (igsh:Sourced): only a graph that fails validation
        for (s,) in store.query(f"SELECT ?s WHERE {{ {per_node} FILTER(?k > 1) }}").rows:
            counts[store.dataset.value(s, IGKG.verification)] += 1
    return counts


def _by_label(g: Graph, checks: Counter[RDFNode | None]) -> Counter[str]:
    """Counts per verification status, keyed by the status's label: a label is read once per
    status, not once per node (some 1,200 look-ups on the shipped corpus)."""
    out: Counter[str] = Counter()
    for checked, n in checks.items():
        out[status_label(g, checked)] += n
    return out


def stats(kg: KnowledgeGraph) -> Stats:
    """Counts: triples per graph, instances per class, references per verb, verification status."""
    store, g, net = kg.store, kg.dataset, kg.network
    classes: Counter[str] = Counter()
    for cls, n in _class_sizes(store).items():
        if n and cls != IGKG.VerificationStatus:
            classes[label(g, cls)] = n
    relations: Counter[str] = Counter()
    for verb, n in net.verb_counts().items():
        relations[relation_name(str(verb))] += n
    cov = coverage(store)
    # The instruments' statuses are coverage's; only subdivisions and citations are read again.
    statuses: Counter[str] = Counter(dict(cov["verification"]))
    for typ in (IGKG.Subdivision, IGKG.Citation):
        statuses.update(_by_label(g, _statuses(store, typ)))
    return Stats(
        coverage=cov,
        triples=dict(kg.report.triples),
        classes=_ranked(classes),
        relations=_ranked(relations),
        verification=_ranked(statuses),
        full_closure=kg.report.full_closure,
    )
