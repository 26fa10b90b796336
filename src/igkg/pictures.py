"""Pictures a person reads: lineage, reference paths and revision series, drawn with Graphviz.

A picture is the nodes met and the references between them. Paragraphs sit inside their
instrument's box, a range joined to the paragraphs it spans; each instrument is coloured by the
body that adopted it, with a legend. DOT is the text form; SVG is what Graphviz's ``dot``
program draws from it, each node a link to its IRI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .analysis.nodes import verb_words
from .errors import ToolMissing
from .models import Edge, Lineage, Node, Revision

# Pale fills (ColorBrewer Pastel1 and Set3), one per body in order of name; bodies past the
# fourteenth share the last (grey): the legend still names each.
PALETTE = (
    "#fbb4ae", "#b3cde3", "#ccebc5", "#decbe4", "#fed9a6", "#ffffcc", "#e5d8bd", "#fddaec",
    "#8dd3c7", "#bebada", "#80b1d3", "#fdb462", "#b3de69", "#d9d9d9",
)
UNKNOWN_BODY = "#f2f2f2"


@dataclass(frozen=True)
class Drawing:
    """What a picture shows: nodes, and (citing, cited, words) arrows between their IRIs."""

    title: str
    nodes: tuple[Node, ...]
    arrows: tuple[tuple[str, str, str], ...]
    marked: tuple[str, ...] = ()  # drawn bold: the root, or both ends of a path
    flow: str = "BT"  # Graphviz rankdir: cited texts above their citers; LR for a revision strip


@dataclass(frozen=True)
class Box:
    """What a picture says of an instrument: its label, date and the body that adopted it."""

    label: str
    date: str | None
    body: str | None


def of_lineage(lin: Lineage) -> Drawing:
    edges = [s.edge for s in lin.steps]
    return Drawing(f"Lineage of {lin.root.label}", _nodes([lin.root], edges), _arrows(edges), (lin.root.iri,))


def of_paths(found: Iterable[list[Edge]], a: Node, b: Node) -> Drawing:
    edges = [e for p in found for e in p]
    return Drawing(f"Reference paths between {a.label} and {b.label}", _nodes([a, b], edges), _arrows(edges), (a.iri, b.iri))


def of_revisions(series: Node, revs: list[Revision]) -> Drawing:
    held = {r.node.iri for r in revs}
    arrows = tuple((r.node.iri, r.revises, "revises") for r in revs if r.revises in held)
    return Drawing(f"Revisions of {series.label}", tuple(r.node for r in revs), arrows, flow="LR")


def _nodes(first: list[Node], edges: list[Edge]) -> tuple[Node, ...]:
    seen = {n.iri: n for n in first}
    for e in edges:
        seen.setdefault(e.source.iri, e.source)
        seen.setdefault(e.target.iri, e.target)
    return tuple(seen.values())


def _arrows(edges: list[Edge]) -> tuple[tuple[str, str, str], ...]:
    return tuple(sorted({(e.source.iri, e.target.iri, verb_words(e.relation)) for e in edges}))


def dot(drawing: Drawing, boxes: Mapping[str, Box], joins: Iterable[tuple[str, str]] = ()) -> str:
    """The picture as Graphviz DOT. ``boxes`` describes every instrument drawn or holding a
    drawn paragraph (by IRI); a node it does not describe is drawn plain. ``joins`` are (whole,
    part) pairs among the drawn subdivisions, as the graph states them (a range includes a
    paragraph, a sub-paragraph is part of its paragraph): a dashed line each."""
    import graphviz  # imported here: only pictures need it

    ids = {n.iri: f"n{i}" for i, n in enumerate(sorted(drawing.nodes, key=lambda n: n.iri))}
    bodies = sorted({b.body for b in boxes.values() if b.body})
    colour = {body: PALETTE[min(i, len(PALETTE) - 1)] for i, body in enumerate(bodies)}
    g = graphviz.Digraph("igkg", graph_attr={
        "rankdir": drawing.flow, "label": _lines(drawing.title), "labelloc": "t", "fontname": "Helvetica",
    }, node_attr={"shape": "box", "style": "rounded,filled", "fontname": "Helvetica", "fontsize": "11"},
        edge_attr={"fontname": "Helvetica", "fontsize": "9"})

    inside: dict[str, list[Node]] = {}
    for n in drawing.nodes:
        if n.instrument and n.instrument != n.iri:
            inside.setdefault(n.instrument, []).append(n)

    def fill(iri: str) -> str:
        box = boxes.get(iri)
        return colour.get(box.body, UNKNOWN_BODY) if box and box.body else UNKNOWN_BODY

    def attrs(n: Node, label: str, shade: str) -> dict[str, str]:
        a = {"label": label, "fillcolor": shade, "href": n.iri, "tooltip": _lines(f"{n.curie} ({n.kind})")}
        if n.iri in drawing.marked:
            a["penwidth"] = "2.5"
        return a

    drawn = {n.iri: n for n in drawing.nodes}
    for i, inst in enumerate(sorted(inside)):
        box = boxes.get(inst)
        shade = fill(inst)
        with g.subgraph(name=f"cluster_{i}") as c:
            title = box.label if box else inst
            c.attr(label=_lines(title, box.date if box else None), style="rounded,filled",
                   fillcolor=shade, color="#666666", href=inst, tooltip=_lines(title))
            if inst in drawn:  # the instrument itself is cited too: its node sits in its box
                c.node(ids[inst], **attrs(drawn[inst], "the text as a whole", "white"))
            for n in sorted(inside[inst], key=lambda n: _order(n.pinpoint)):
                c.node(ids[n.iri], **attrs(n, _lines(n.pinpoint or n.label), "white"))
    for n in sorted(drawing.nodes, key=lambda n: n.iri):
        if n.iri in inside or (n.instrument and n.instrument != n.iri):
            continue
        box = boxes.get(n.iri)
        date = (box.date if box else None) or n.date
        g.node(ids[n.iri], **attrs(n, _lines(n.label, date), fill(n.iri)))
    for whole, part in sorted(set(joins)):
        if whole in ids and part in ids:
            g.edge(ids[whole], ids[part], style="dashed", arrowhead="none", color="#888888", tooltip="includes")
    for src, tgt, words in drawing.arrows:
        if src in ids and tgt in ids:
            g.edge(ids[src], ids[tgt], label=_lines(words))
    if bodies:
        with g.subgraph(name="cluster_legend") as c:
            c.attr(label="adopted by", style="rounded", color="#999999")
            for i, body in enumerate(bodies):
                c.node(f"legend{i}", label=_lines(body), fillcolor=colour[body], shape="box")
    return str(g.source)


def svg(dot_text: str) -> str:
    """The picture drawn by Graphviz's dot program, as SVG text."""
    import graphviz

    try:
        return graphviz.Source(dot_text).pipe(format="svg", encoding="utf-8")  # type: ignore[no-any-return]
    except graphviz.ExecutableNotFound:
        raise ToolMissing("Graphviz's dot program is not installed (Debian: apt-get install graphviz); "
                          "-f dot writes the picture as text") from None
    except graphviz.CalledProcessError as e:
        said = e.stderr if isinstance(e.stderr, str) else (e.stderr or b"").decode(errors="replace")
        raise ToolMissing(f"Graphviz's dot program failed: {' '.join(said.split())[:200]}") from None


_NUMBERS = re.compile(r"\d+")


def _order(pinpoint: str | None) -> tuple[int, ...]:
    return tuple(int(x) for x in _NUMBERS.findall(pinpoint or "")) or (10**6,)


def _lines(*lines: str | None) -> str:
    """Label text: DOT reads a backslash as an escape, so the data's own are doubled; lines join with
    \\n; never an HTML label, which the graphviz library makes of any text in angle brackets."""
    import graphviz

    return graphviz.nohtml("\\n".join(x.replace("\\", "\\\\") for x in lines if x))  # type: ignore[no-any-return]
