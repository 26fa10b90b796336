"""Putting igkg's graphs on a SPARQL 1.1 store, as one release.

Each push writes graphs of its own, named after it (``…/graph/data/<release>``), and a store's
current release is the one its manifest (GRAPH_MANIFEST) names. A push
1. notes its graphs in the manifest graph, so that whatever it leaves behind can be found;
2. uploads each graph in batches small enough for any store's parser (Graph Store POSTs, or
   SPARQL Update ``INSERT DATA`` where there is no Graph Store);
3. reads the graphs' counts back and compares them with what it sent;
4. points the manifest at them: one small SPARQL Update, so a store goes from the previous
   release to the new one in one transaction, whatever their size;
5. drops the graphs of earlier releases, and of pushes that never finished.

Until step 4 the previous release stands untouched and current, so a push stopped at any point
(the server gone, the network down, a refused batch) leaves it in place; what it uploaded is
dropped, then or by the next push. Graphs are never changed in place: moving millions of triples
from one graph to another is a transaction no store takes well (Virtuoso refuses or stalls on
it, Oxigraph's server holds it in memory). Reads check the manifest (remote.py).

Besides the four graphs, a push writes the names graph: each node's normalised names
(``igkg:nameKey``, ``igkg:titleKey``), so that a name is resolved on the server by one query.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from rdflib import Literal, URIRef

from ..errors import EndpointError
from ..progress import SILENT, Progress
from ..vocab import DCT, GRAPH_BASE, GRAPH_MANIFEST, GRAPH_NAMES, IGKG, VOID, XSD
from .base import GRAPHS, GraphStore, graph_key
from .endpoint import Endpoint, forget, graph_counts, graph_url, remember_release, results, rows, sparql
from .terms import nt

# Every graph a push writes, the names graph last.
PUSHED = (*GRAPHS, GRAPH_NAMES)
# Where pushes by earlier versions of igkg kept the graphs: dropped by the next push.
LEGACY = (*PUSHED, *(URIRef(f"{GRAPH_BASE}staging/{graph_key(g)}") for g in PUSHED))
# Batch bounds: a Graph Store reads N-Triples as a stream; a SPARQL parser holds the whole
# request (Virtuoso's refuses an INSERT DATA of about 5,000 triples).
GRAPH_STORE_BATCH = (20_000, 4_000_000)  # triples, bytes
UPDATE_BATCH = (1_000, 256_000)
_BNODE = re.compile(r"_:([A-Za-z0-9_][A-Za-z0-9_.\-]*)")


@dataclass(frozen=True)
class PushReport:
    graphs: tuple[tuple[str, int], ...]  # (graph IRI, triples), the names graph last
    method: str  # "graph store" or "update"
    seconds: float
    release: str  # the push's identifier, as the manifest names it
    left: str = ""  # what of earlier releases the store would not drop, and why


def release_graph(graph: URIRef, release: str) -> URIRef:
    """Where a release keeps one of igkg's graphs."""
    return URIRef(f"{graph}/{release}")


def push(store: GraphStore, endpoint: Endpoint, names: Iterable[tuple[str, int, str]], progress: Progress = SILENT) -> PushReport:
    """Make the graphs of ``store``, and a names graph of ``names`` ((key, title, node IRI) rows
    of the name index), the endpoint's current release."""
    started = time.perf_counter()
    bodies = {g: sorted(store.lines((g,), quads=False)) for g in GRAPHS}
    bodies[GRAPH_NAMES] = sorted(_name_lines(names))
    sent = {g: len(lines) for g, lines in bodies.items()}
    store_url = endpoint.graph_store()
    method = "graph store" if store_url else "update"
    release = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(4)
    ours = {g: release_graph(g, release) for g in PUSHED}
    sparql(endpoint, "update", _insert(f"{nt(ours[g])} {nt(DCT.isVersionOf)} {nt(g)} ." for g in PUSHED))
    try:
        for g, lines in bodies.items():
            with progress.stage(f"pushing {graph_key(g)} ({len(lines):,} triples)"):
                method = _upload(endpoint, ours[g], lines, store_url if method == "graph store" else None)
        with progress.stage("counting what the store received"):
            held = graph_counts(endpoint, list(ours.values()))
        for g in PUSHED:
            if held.get(ours[g], 0) != sent[g]:
                raise EndpointError(f"the store holds {held.get(ours[g], 0):,} of the {sent[g]:,} triples sent for the "
                                    f"{graph_key(g)} graph; the previous release stands")
        with progress.stage("making it the current release"):
            sparql(endpoint, "update", _manifest(ours, sent, release))
    except BaseException:
        # Unless the manifest names them after all (an update applied whose answer was lost);
        # where the server is gone, the next push drops them.
        with contextlib.suppress(EndpointError):
            if _current(endpoint) != release:
                _drop(endpoint, list(ours.values()))
        raise
    current = _current(endpoint)
    if current != release:
        raise EndpointError(f"after the push the store's manifest names release {current or 'none'}, not {release}: "
                            "another push at the same time")
    remember_release(endpoint, release)  # its graphs were counted above
    with progress.stage("dropping earlier releases"):
        left = _drop_earlier(endpoint, set(ours.values()))
    return PushReport(tuple((str(g), sent[g]) for g in PUSHED), method, time.perf_counter() - started, release, left)


def _name_lines(rows: Iterable[tuple[str, int, str]]) -> set[str]:
    verbs = (nt(IGKG.nameKey), nt(IGKG.titleKey))
    return {f"{nt(URIRef(node))} {verbs[int(title)]} {nt(Literal(key))} ." for key, title, node in rows}


def _upload(endpoint: Endpoint, graph: URIRef, lines: list[str], store_url: str | None) -> str:
    """Add ``lines`` to ``graph`` in batches; the method that worked (a Graph Store that turns
    out to be gone gives way to SPARQL Update, and is forgotten)."""
    if store_url:
        batches = list(batched(lines, *GRAPH_STORE_BATCH))
        for i, batch in enumerate(batches):
            resp = endpoint.request(graph_url(store_url, graph), method="POST", data="".join(f"{line}\n" for line in batch).encode(),
                                    headers={"Content-Type": "application/n-triples"})
            if resp.status_code == 404:
                if i:
                    raise EndpointError(f"{store_url} stopped answering as a Graph Store (HTTP 404) during the push")
                forget(endpoint)
                break
        else:
            return "graph store"
    for batch in batched(lines, *UPDATE_BATCH):
        body = "\n".join(batch)
        sparql(endpoint, "update", f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")
    return "update"


def batched(lines: Iterable[str], triples: int, size: int) -> Iterator[list[str]]:
    """``lines`` (N-Triples) in batches of at most ``triples`` lines and ``size`` bytes, except that
    the lines of one blank node, and of the blank nodes linked through them, go in one batch: a
    label names the same node only within one request."""
    free: list[str] = []
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    linked: list[tuple[str, str]] = []
    for line in lines:
        labels = _BNODE.findall(line)
        if not labels:
            free.append(line)
            continue
        first = root(labels[0])
        for other in labels[1:]:
            parent[root(other)] = first
        linked.append((labels[0], line))
    groups: dict[str, list[str]] = {}
    for label, line in linked:
        groups.setdefault(root(label), []).append(line)
    batch: list[str] = []
    used = 0
    for unit in (*([line] for line in free), *groups.values()):
        weight = sum(len(line) + 1 for line in unit)
        if batch and (len(batch) + len(unit) > triples or used + weight > size):
            yield batch
            batch, used = [], 0
        batch.extend(unit)
        used += weight
    if batch:
        yield batch


def _insert(facts: Iterable[str]) -> str:
    return f"INSERT DATA {{ GRAPH <{GRAPH_MANIFEST}> {{\n" + "\n".join(facts) + "\n} }"


def _manifest(ours: dict[URIRef, URIRef], sent: dict[URIRef, int], release: str) -> str:
    """The request that makes a release current: the manifest's description of the previous push
    replaced by this one's, in one request, which a store applies as one transaction."""
    issued = Literal(datetime.now(UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    m = nt(GRAPH_MANIFEST)
    facts = [f"{m} {nt(DCT.identifier)} {nt(Literal(release))} .", f"{m} {nt(DCT.issued)} {nt(issued)} ."]
    for g in PUSHED:
        facts += [f"{m} {nt(VOID.subset)} {nt(ours[g])} .", f"{nt(ours[g])} {nt(VOID.triples)} {nt(Literal(sent[g]))} ."]
    return f"DELETE WHERE {{ GRAPH <{GRAPH_MANIFEST}> {{ {m} ?p ?o }} }} ;\n" + _insert(facts)


def _current(endpoint: Endpoint) -> str | None:
    text = f"SELECT ?id WHERE {{ GRAPH <{GRAPH_MANIFEST}> {{ <{GRAPH_MANIFEST}> <{DCT.identifier}> ?id }} }}"
    found = rows(results(sparql(endpoint, "query", text)))
    return str(found[0][0]) if len(found) == 1 else None


def _drop_earlier(endpoint: Endpoint, keep: set[URIRef]) -> str:
    """Drop every graph the manifest graph notes but the current release does not use (earlier
    releases, pushes stopped midway), and the graphs of older igkg versions. The new release is
    current by now, so a failure here is said ("" when none), not raised: the next push tries again."""
    text = f"SELECT DISTINCT ?g WHERE {{ GRAPH <{GRAPH_MANIFEST}> {{ ?g <{DCT.isVersionOf}> ?of }} }}"
    try:
        noted = {URIRef(str(g)) for g, in rows(results(sparql(endpoint, "query", text)))} - keep
        held = graph_counts(endpoint, list(LEGACY))
    except EndpointError as e:
        return f"earlier releases were not dropped: {e}"
    left = _drop(endpoint, sorted(noted) + [g for g in LEGACY if g in held])
    return f"{len(left)} graphs of earlier releases were not dropped ({left[0]} …)" if left else ""


def _drop(endpoint: Endpoint, graphs: list[URIRef]) -> list[URIRef]:
    """Drop each graph, and what the manifest graph says of it; from the first the store will not
    drop on, the graphs left (a store that refuses one, or is gone, is not asked again)."""
    for i, g in enumerate(graphs):
        try:
            sparql(endpoint, "update", f"DROP SILENT GRAPH <{g}>", timeout=endpoint.patient_timeout)
            sparql(endpoint, "update", f"DELETE WHERE {{ GRAPH <{GRAPH_MANIFEST}> {{ <{g}> ?p ?o }} }}")
        except EndpointError:
            return graphs[i:]
    return []
