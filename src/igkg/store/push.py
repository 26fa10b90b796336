"""Putting igkg's graphs on a SPARQL 1.1 store, as one release.

A push
1. uploads each graph into a staging graph of its own, in batches small enough for any store's
   parser (Graph Store POSTs, or SPARQL Update ``INSERT DATA`` where there is no Graph Store);
2. reads the staging graphs' counts back and compares them with what it sent;
3. replaces the targets: the manifest dropped, each staging graph moved onto its target, the new
   manifest written; in one SPARQL Update request (one transaction) up to ONE_REQUEST triples,
   STEP triples a request above it;
4. reads the targets' counts back.

Until step 3 the store's previous graphs stand untouched, so a push stopped at any point before
it (the server gone, the network down, a refused batch) leaves them in place; a failure drops the
staging graphs. A swap in steps stopped midway leaves no manifest. The manifest (GRAPH_MANIFEST)
names the push and the triple count of each graph, and reads check it (remote.py): graphs that
do not match it are refused, not read.

Besides the four graphs, a push writes the names graph (GRAPH_NAMES): each node's normalised
names (``igkg:nameKey``, ``igkg:titleKey``), so that a name is resolved on the server by one query.
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
from .endpoint import Endpoint, forget, graph_counts, graph_url, sparql
from .terms import nt

# Every graph a push writes, the names graph last.
PUSHED = (*GRAPHS, GRAPH_NAMES)
STAGING = {g: URIRef(f"{GRAPH_BASE}staging/{graph_key(g)}") for g in PUSHED}
# Batch bounds: a Graph Store reads N-Triples as a stream; a SPARQL parser holds the whole
# request (Virtuoso's refuses an INSERT DATA of about 5,000 triples).
GRAPH_STORE_BATCH = (20_000, 4_000_000)  # triples, bytes
UPDATE_BATCH = (1_000, 256_000)
# Up to this many triples in all, the swap is one request, which a store applies as one
# transaction. Above it the stores refuse or choke on one (Virtuoso's transaction log limit,
# Oxigraph's server holding it in memory: past 9 GB for 2.2 million triples), so the graphs are
# emptied and moved STEP triples a request, with the manifest dropped first and written last.
ONE_REQUEST = 200_000
STEP = 20_000
_BNODE = re.compile(r"_:([A-Za-z0-9_][A-Za-z0-9_.\-]*)")


@dataclass(frozen=True)
class PushReport:
    graphs: tuple[tuple[str, int], ...]  # (graph IRI, triples), the names graph last
    method: str  # "graph store" or "update"
    seconds: float
    release: str  # the push's identifier, as the manifest names it


def push(store: GraphStore, endpoint: Endpoint, names: Iterable[tuple[str, int, str]], progress: Progress = SILENT) -> PushReport:
    """Replace igkg's graphs on the endpoint with those of ``store``, and its names graph with
    ``names`` ((key, title, node IRI) rows of the name index)."""
    started = time.perf_counter()
    bodies = {g: sorted(store.lines((g,), quads=False)) for g in GRAPHS}
    bodies[GRAPH_NAMES] = sorted(_name_lines(names))
    store_url = endpoint.graph_store()
    method = "graph store" if store_url else "update"
    release = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(4)
    _drop_staging(endpoint)  # what an interrupted push left behind
    try:
        for g, lines in bodies.items():
            with progress.stage(f"pushing {graph_key(g)} ({len(lines):,} triples)"):
                method = _upload(endpoint, STAGING[g], lines, store_url if method == "graph store" else None)
        sent = {g: len(lines) for g, lines in bodies.items()}
        with progress.stage("counting what the store received"):
            staged = graph_counts(endpoint, [STAGING[g] for g in PUSHED])
        for g in PUSHED:
            if staged.get(STAGING[g], 0) != sent[g]:
                raise EndpointError(f"the store holds {staged.get(STAGING[g], 0):,} of the {sent[g]:,} triples sent for the "
                                    f"{graph_key(g)} graph; nothing was replaced")
        with progress.stage("replacing the graphs"):
            if sum(sent.values()) <= ONE_REQUEST:
                sparql(endpoint, "update", _swap(sent, release), timeout=endpoint.patient_timeout)
            else:
                _swap_in_steps(endpoint, sent, release)
    except BaseException:
        with contextlib.suppress(EndpointError):  # the server is gone: the next push drops them
            _drop_staging(endpoint)
        raise
    held = graph_counts(endpoint, list(PUSHED))
    wrong = [g for g in PUSHED if held.get(g, 0) != sent[g]]
    if wrong:
        g = wrong[0]
        raise EndpointError(f"after the push the store's {graph_key(g)} graph holds {held.get(g, 0):,} triples, not the "
                            f"{sent[g]:,} sent: another writer, or a store that changes what it stores")
    return PushReport(tuple((str(g), sent[g]) for g in PUSHED), method, time.perf_counter() - started, release)


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


def _swap(sent: dict[URIRef, int], release: str) -> str:
    """The one request that replaces the targets with the staging graphs and writes the manifest."""
    ops = [f"DROP SILENT GRAPH <{GRAPH_MANIFEST}>"]
    for g in PUSHED:
        # MOVE from a graph the store never created (nothing staged) is an error on some stores.
        ops.append(f"MOVE SILENT <{STAGING[g]}> TO <{g}>" if sent[g] else f"DROP SILENT GRAPH <{g}>")
    ops.append(_manifest(sent, release))
    return " ;\n".join(ops)


def _swap_in_steps(endpoint: Endpoint, sent: dict[URIRef, int], release: str) -> None:
    """The swap for graphs too large for one transaction: the manifest dropped, each target
    emptied and the staging graph moved into it STEP triples a request, the manifest written.
    Stopped midway, the store has no manifest, and reads refuse it until a push completes."""
    sparql(endpoint, "update", f"DROP SILENT GRAPH <{GRAPH_MANIFEST}>")
    held = graph_counts(endpoint, list(PUSHED))
    for g in PUSHED:
        _in_steps(endpoint, f"DELETE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}", g, held.get(g, 0))
        _in_steps(endpoint, f"DELETE {{ GRAPH <{STAGING[g]}> {{ ?s ?p ?o }} }} INSERT {{ GRAPH <{g}> {{ ?s ?p ?o }} }}",
                  STAGING[g], sent[g])
    sparql(endpoint, "update", _manifest(sent, release))


def _in_steps(endpoint: Endpoint, change: str, graph: URIRef, size: int) -> None:
    """Apply ``change`` to every triple of ``graph`` (which it takes out of it), STEP triples a
    request, until the graph is empty."""
    while size > 0:
        for _ in range(-(-size // STEP)):
            text = f"{change} WHERE {{ {{ SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT {STEP} }} }}"
            sparql(endpoint, "update", text, timeout=endpoint.patient_timeout)
        left = graph_counts(endpoint, [graph]).get(graph, 0)
        if left >= size:
            raise EndpointError(f"the store did not apply the push's changes to {graph} ({left:,} triples left); nothing more was changed")
        size = left


def _manifest(sent: dict[URIRef, int], release: str) -> str:
    """The request that writes the manifest of a push."""
    issued = Literal(datetime.now(UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    m = nt(GRAPH_MANIFEST)
    facts = [f"{m} {nt(DCT.identifier)} {nt(Literal(release))} .", f"{m} {nt(DCT.issued)} {nt(issued)} ."]
    for g in PUSHED:
        facts += [f"{m} {nt(VOID.subset)} {nt(g)} .", f"{nt(g)} {nt(VOID.triples)} {nt(Literal(sent[g]))} ."]
    return f"INSERT DATA {{ GRAPH <{GRAPH_MANIFEST}> {{\n" + "\n".join(facts) + "\n} }"


def _drop_staging(endpoint: Endpoint) -> None:
    """Empty the staging graphs: in one request if they are small, else in steps."""
    held = graph_counts(endpoint, [STAGING[g] for g in PUSHED])
    if sum(held.values()) <= ONE_REQUEST:
        if held:
            sparql(endpoint, "update", " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in held), timeout=endpoint.patient_timeout)
        return
    for g, n in held.items():
        _in_steps(endpoint, f"DELETE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}", g, n)
