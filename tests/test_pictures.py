"""Pictures: what Graphviz lays out from igkg's DOT (read back as Graphviz's own JSON), and the SVG it draws."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from igkg import api, pictures
from igkg.graph import KnowledgeGraph
from igkg.models import Node

from .servers import missing

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def graphviz_installed() -> None:
    if shutil.which("dot") is None:
        missing("Graphviz's dot", "apt-get install graphviz")


def laid_out(dot_text: str) -> dict:  # type: ignore[type-arg]
    """Graphviz's reading of the picture: its objects (nodes and clusters) and edges."""
    done = subprocess.run(["dot", "-Tjson"], input=dot_text, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def boxes(layout: dict) -> dict[str, set[str]]:  # type: ignore[type-arg]
    """Each cluster's label and the labels of the nodes inside it."""
    objects = layout["objects"]
    return {o["label"]: {objects[i]["label"] for i in o.get("nodes", [])} for o in objects if o["name"].startswith("cluster_")}


def joined(layout: dict) -> nx.Graph:  # type: ignore[type-arg]
    """The drawn nodes (the legend left out) joined by the edges and by sharing a box."""
    objects = layout["objects"]
    g = nx.Graph()
    legend = {i for o in objects if o["name"] == "cluster_legend" for i in o["nodes"]}
    g.add_nodes_from(o["_gvid"] for o in objects if "nodes" not in o and o["_gvid"] not in legend)
    g.add_edges_from((e["tail"], e["head"]) for e in layout.get("edges", []))
    for o in objects:
        if o["name"].startswith("cluster_") and o["name"] != "cluster_legend":
            g.add_edges_from(zip(o["nodes"], o["nodes"][1:], strict=False))
    return g


def node_by_label(layout: dict, label: str) -> dict:  # type: ignore[type-arg]
    return next(o for o in layout["objects"] if o.get("label") == label and "nodes" not in o)


def test_lineage_picture_puts_paragraphs_in_their_instrument_and_is_one_picture(mini: KnowledgeGraph) -> None:
    layout = laid_out(api.picture(mini, pictures.of_lineage(api.lineage(mini, "Test Agenda para 1", "down"))))
    assert boxes(layout) == {
        "Test Agenda\\n2005-01-10": {"para 1", "paras 1-3"},
        "Test outcome 2015\\n2015-12-16": {"the text as a whole", "para 9"},
        "adopted by": {"Test Assembly", "Test Conference"},
    }
    arrows = {(layout["objects"][e["tail"]]["label"], e.get("label"), layout["objects"][e["head"]]["label"])
              for e in layout["edges"]}
    assert arrows == {
        ("Test Opinion 4\\n2013-05-16", "reaffirms", "para 1"),
        ("para 9", "recognizes", "paras 1-3"),
        ("Test review 2025\\n2025-12-17", "recalls", "the text as a whole"),
        ("paras 1-3", "", "para 1"),  # the range beside the paragraph it spans, a dashed line
    }
    assert nx.is_connected(joined(layout))
    assert node_by_label(layout, "para 1")["penwidth"] == "2.5"  # the root


def test_colours_follow_the_adopting_body(mini: KnowledgeGraph) -> None:
    layout = laid_out(api.picture(mini, pictures.of_lineage(api.lineage(mini, "Test Agenda para 1", "down"))))
    fill = {o["label"]: o.get("fillcolor") for o in layout["objects"]}
    assert fill["Test review 2025\\n2025-12-17"] == fill["Test outcome 2015\\n2015-12-16"] == fill["Test Assembly"]
    assert fill["Test Opinion 4\\n2013-05-16"] == fill["Test Conference"] != fill["Test Assembly"]


def test_path_and_revision_pictures(mini: KnowledgeGraph) -> None:
    a, b = api.resolve(mini, "Test review 2025"), api.resolve(mini, "Test Agenda")
    layout = laid_out(api.picture(mini, pictures.of_paths(api.paths(mini, "Test review 2025", "Test Agenda"), a, b)))
    assert nx.is_connected(joined(layout))
    assert {e.get("label") for e in layout["edges"]} == {"recalls", "recognizes"}
    assert node_by_label(layout, "Test review 2025\\n2025-12-17")["penwidth"] == "2.5"

    series, revs = api.revisions(mini, "Test Resolution 7")
    assert series is not None
    layout = laid_out(api.picture(mini, pictures.of_revisions(series, revs)))
    assert layout["rankdir"] == "LR"
    arrows = [(layout["objects"][e["tail"]]["label"], e["label"], layout["objects"][e["head"]]["label"]) for e in layout["edges"]]
    assert arrows == [("Resolution 7 (Rev. Beta, 2010)\\n2010-06-01", "revises", "Resolution 7 (Rev. Alpha, 2006)\\n2006-06-01")]


def test_shipped_lineage_of_paragraph_69_joins_a_resolution_to_its_paragraph_and_a_range_to_69(oxkg: KnowledgeGraph) -> None:
    layout = laid_out(api.picture(oxkg, pictures.of_lineage(api.lineage(oxkg, "Tunis Agenda para 69", "down"))))
    inside = boxes(layout)
    assert {"para 69", "paras 69-71"} <= inside["Tunis Agenda for the Information Society\\n2005-11-18"]
    assert {"the text as a whole", "para 64"} <= inside["General Assembly resolution 70/125\\n2015-12-16"]
    assert nx.is_connected(joined(layout))


def test_svg_links_every_node_and_escapes_labels() -> None:
    odd = 'A "quoted" \\ label <script>alert(1)</script>'
    root = Node("https://w3id.org/igkg/id/x", "igr:x", odd, "resolution", "2020-01-01")
    other = Node("https://w3id.org/igkg/id/y.para-2", "igr:y.para-2", "Y, paragraph 2", "paragraph",
                 instrument="https://w3id.org/igkg/id/y", pinpoint="para 2")
    drawing = pictures.Drawing("Test", (root, other), (("https://w3id.org/igkg/id/x", "https://w3id.org/igkg/id/y.para-2", "recalls"),),
                               ("https://w3id.org/igkg/id/x",))
    box = {"https://w3id.org/igkg/id/x": pictures.Box(odd, "2020-01-01", "<Body <b>>"),  # the form an HTML label takes
           "https://w3id.org/igkg/id/y": pictures.Box("Y", None, None)}
    tree = ET.fromstring(pictures.svg(pictures.dot(drawing, box)))
    texts = [t.text for t in tree.iter(f"{SVG}text")]
    assert odd in texts and "2020-01-01" in texts and "<Body <b>>" in texts and "para 2" in texts and "recalls" in texts
    links = {a.get("{http://www.w3.org/1999/xlink}href") for a in tree.iter(f"{SVG}a")}
    assert {"https://w3id.org/igkg/id/x", "https://w3id.org/igkg/id/y.para-2", "https://w3id.org/igkg/id/y"} <= links
    assert not list(tree.iter(f"{SVG}script"))
