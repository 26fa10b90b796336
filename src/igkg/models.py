"""Value types returned by the public API. All frozen: results, not state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Node:
    """A resolved node of the graph, with what a person needs to recognise it."""

    iri: str
    curie: str
    label: str
    kind: str
    date: str | None = None
    instrument: str | None = None  # IRI of the containing instrument, for subdivisions
    pinpoint: str | None = None  # "para 69", "para 78(a)", "paras 69-71" for subdivisions


@dataclass(frozen=True)
class Edge:
    """One typed reference: ``source`` (citing) refers to ``target`` (cited) with ``relation``."""

    source: Node
    relation: str
    target: Node
    pinpoint: str | None = None
    citation: str | None = None
    verification: str | None = None


@dataclass(frozen=True)
class LineageStep:
    """An edge reached at ``depth`` while walking lineage from the root."""

    depth: int
    edge: Edge
    parent: str  # IRI of the node this step was expanded from
    direction: str = "down"


@dataclass(frozen=True)
class Lineage:
    root: Node
    direction: str  # "up", "down" or "both"
    steps: tuple[LineageStep, ...]


@dataclass(frozen=True)
class Revision:
    node: Node
    place: str | None
    year: str | None
    revises: str | None
    status: str | None = None  # "unverified", "secondary source", "date unverified"; None when verified


@dataclass(frozen=True)
class Violation:
    """One problem found by a SHACL shape or a hygiene check."""

    check: str
    focus: str
    message: str
    path: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]
    seconds: float = 0.0


@dataclass(frozen=True)
class BuildReport:
    """What a build compiled, and how long each stage took."""

    triples: dict[str, int]
    load_seconds: float
    reason_seconds: float
    from_cache: bool
    cache_file: str | None
    validation: ValidationReport | None = None
    # False where the inferred graph holds only the part of the OWL RL closure igkg reads.
    full_closure: bool = True
    # Why the kept compiled graph was built again (it was damaged), if it was.
    repaired: str | None = None

    @property
    def asserted(self) -> int:
        return sum(n for g, n in self.triples.items() if g != "inferred")

    @property
    def inferred(self) -> int:
        return self.triples.get("inferred", 0)


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str  # ref, relation, iri, string, date, int
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    text: str
    path: str
    left_out: tuple[tuple[str, str], ...] = ()  # (what, a SPARQL query counting it as ?n): said in a note


@dataclass(frozen=True)
class QueryResult:
    """SELECT rows (RDF terms or None), an ASK answer, or a CONSTRUCT graph; ``notes`` say what the
    answer leaves out ("36 undated instruments")."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    boolean: bool | None = None
    graph: Any = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Description:
    """Everything ``igkg show`` prints about one node."""

    node: Node
    facts: tuple[tuple[str, str], ...]
    parts: tuple[Node, ...]
    outgoing: tuple[Edge, ...]
    incoming: tuple[Edge, ...]
    processes: tuple[tuple[str, Node], ...] = field(default_factory=tuple)
    concerned_by: tuple[tuple[str, Node], ...] = field(default_factory=tuple)  # for a process: texts about it
    meetings: tuple[Node, ...] = field(default_factory=tuple)  # for a body or process: its meetings
    adopted: tuple[Node, ...] = field(default_factory=tuple)  # for a meeting: the instruments adopted at it


@dataclass(frozen=True)
class Stats:
    """Counts over the graph; ``coverage`` counts instruments by family, body, decade and verification."""

    triples: dict[str, int]
    classes: tuple[tuple[str, int], ...]
    relations: tuple[tuple[str, int], ...]
    verification: tuple[tuple[str, int], ...]
    coverage: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    # False where the inferred graph holds only the part of the OWL RL closure igkg reads.
    full_closure: bool = True


@dataclass(frozen=True)
class ExtractedReference:
    """A reference found in a text. Offsets are into the decoded text; the field names are the JSON keys."""

    start: int
    end: int
    surface: str
    instrument: str | None  # IRI of the most specific node matched (paragraph, instrument, series), or None
    label: str  # its label; for an unresolved reference, its normalised form
    symbol: str | None
    revision: str | None  # "Guadalajara 2010"
    pinpoint: str | None  # "para 69", "para 78(a)", "paras 69-71"
    relation: str | None  # the governing verb as the reference verb's label ("recalls")
    confidence: float
    note: str | None = None  # a pinpoint the graph cannot place: past its last paragraph, or not a node of it
    draft: bool = False  # "Draft Opinion 6": a draft of the instrument; not one of the JSON keys

    JSON_KEYS = ("start", "end", "surface", "instrument", "label", "symbol", "revision", "pinpoint", "relation", "confidence", "note")


@dataclass(frozen=True)
class Part:
    """One part of a text: offsets into the decoded text, its locator and kind, the block it stands
    in, and its words (hyphenation at line ends joined, running headers left out, spaces collapsed).
    The field names are the JSON keys."""

    start: int
    end: int
    locator: str
    kind: str  # title, preambular, paragraph, sub-paragraph, item, block, operative, annex, article, action line, section
    heading: str | None
    text: str

    JSON_KEYS = ("start", "end", "locator", "kind", "heading", "text")
