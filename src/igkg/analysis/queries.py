"""Named queries (queries/*.rq) and ad-hoc SPARQL, with parameters bound as RDF terms.

Parameters are never pasted into the query text: they are parsed into RDF terms
and handed to the engine as initial bindings.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node as RDFNode

from .. import resources
from ..errors import ParameterError, QueryError, QueryNotFound, QueryTimeout
from ..models import NamedQuery, QueryParam, QueryResult
from ..store import GraphStore
from ..store.sparql import dataset_words
from ..vocab import IGKG, PREFIXES, XSD
from .network import reference_properties
from .nodes import parse_iri, verb_name

# Header lines of a named query: "# title: …", "# description: …",
# "# param: name (type, required|optional) what it means", and "# left out: what | SPARQL" for
# what the answer does not show, counted by a query whose ?n is said in a note.
HEADER_FIELD = re.compile(r"^#\s*(?P<key>title|description):\s*(?P<value>.*)$")
HEADER_PARAM = re.compile(
    r"^#\s*param:\s*(?P<name>\w+)\s*\((?P<type>\w+)(?:,\s*(?P<req>required|optional))?\)\s*(?P<desc>.*)$"
)
HEADER_LEFT_OUT = re.compile(r"^#\s*left out:\s*(?P<what>[^|]+?)\s*\|\s*(?P<count>.+)$")
PARAM_TYPES = ("ref", "relation", "iri", "string", "date", "int")
_PREFIX_LINE = re.compile(r"^PREFIX\s.*$", re.MULTILINE | re.IGNORECASE)


def parse_named_query(path: Path) -> NamedQuery:
    """A query file with its header."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QueryError(f"{path}: not a SPARQL query (not UTF-8 text)") from None
    fields: dict[str, list[str]] = {"title": [], "description": []}
    params: list[QueryParam] = []
    left_out: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        if m := HEADER_PARAM.match(line):
            if m["type"] not in PARAM_TYPES:
                raise QueryError(f"{path}: parameter {m['name']} has unknown type {m['type']!r}")
            params.append(QueryParam(m["name"], m["type"], m["req"] == "required", m["desc"].strip()))
        elif m := HEADER_LEFT_OUT.match(line):
            prefixes = "\n".join(_PREFIX_LINE.findall(text))
            left_out.append((m["what"], f"{prefixes}\n{m['count']}"))
        elif m := HEADER_FIELD.match(line):
            fields[m["key"]].append(m["value"].strip())
        elif fields["description"] and line.strip("# "):
            fields["description"].append(line.lstrip("#").strip())
    return NamedQuery(
        name=path.stem,
        title=" ".join(fields["title"]) or path.stem,
        description=" ".join(fields["description"]),
        params=tuple(params),
        text=text,
        path=str(path),
        left_out=tuple(left_out),
    )


def named_queries(folder: Path | None = None) -> list[NamedQuery]:
    """Every named query in the library, sorted by name."""
    return [parse_named_query(p) for p in sorted((folder or resources.queries_dir()).glob("*.rq"))]


def find_query(name_or_file: str) -> NamedQuery:
    """A named query by name, or a query file by path."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.is_file():
        return parse_named_query(path)
    candidate = resources.queries_dir() / f"{name_or_file}.rq"
    if candidate.is_file():
        return parse_named_query(candidate)
    if path.suffix == ".rq":
        raise QueryNotFound(f"{name_or_file}: no such query file")
    # The names are the files' stems: read the folder, not every query in it.
    names = sorted(p.stem for p in resources.queries_dir().glob("*.rq"))
    close = difflib.get_close_matches(name_or_file, names, n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]}?" if close else ""
    raise QueryNotFound(f"no named query {name_or_file!r}.{hint} Named queries are: {', '.join(names)}")


def is_named(q: NamedQuery) -> bool:
    """One of igkg's own named queries, as shipped (the build materialises what they read)."""
    path = Path(q.path)
    return path.suffix == ".rq" and path.parent.resolve() == resources.queries_dir().resolve()


def adhoc_query(text: str) -> NamedQuery:
    return NamedQuery(name="-e", title="ad-hoc query", description="", params=(), text=text, path="-e")


def bind_param(g: Graph, param: QueryParam, value: str, resolve: Callable[[str], URIRef] | None = None) -> RDFNode:
    """Turn a --param value into the RDF term its declared type asks for; ``resolve`` turns the
    name a ref parameter gives into its node (KnowledgeGraph.resolve, as for show and lineage)."""
    if param.type == "ref":
        if resolve is None:
            raise ParameterError(f"--param {param.name}: no names to resolve {value!r} against")
        return resolve(value)
    if param.type == "relation":
        return reference_verb(g, value, f"--param {param.name}")
    if param.type == "iri":
        iri = parse_iri(value)
        if iri is None:
            raise ParameterError(f"--param {param.name}: {value!r} is not an IRI or a known prefixed name")
        return iri
    if param.type == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ParameterError(f"--param {param.name}: {value!r} is not a date (YYYY-MM-DD)") from None
        return Literal(value, datatype=XSD.date)
    if param.type == "int":
        try:
            return Literal(int(value))
        except ValueError:
            raise ParameterError(f"--param {param.name}: {value!r} is not an integer") from None
    return Literal(value)


def run_query(
    store: GraphStore, query: NamedQuery, bindings: Mapping[str, RDFNode] | None = None, timeout: float | None = None
) -> QueryResult:
    """Run a query over the compiled graph with its parameters bound (see ``bind_params``), for at
    most ``timeout`` seconds (None: as long as it takes)."""
    refuse_service(query)
    try:
        result = within(timeout, lambda: store.query(query.text, bindings), query)
    except QueryTimeout:
        raise
    except QueryError:
        prepare(query)  # a syntax error is reported with its file, line and column
        raise
    notes = []
    for what, count in query.left_out:
        try:  # a note is said within the same limit, and never fails the answer it is about
            rows = within(timeout, lambda count=count: store.query(count), query).rows  # type: ignore[misc]
        except QueryError:
            continue
        n = int(rows[0][0]) if rows and rows[0][0] is not None else 0  # type: ignore[call-overload]
        if n:
            notes.append(f"not in the answer: {n} {what}")
    return replace(result, notes=tuple(notes)) if notes else result


def within(seconds: float | None, call: Callable[[], QueryResult], query: NamedQuery) -> QueryResult:
    """``call()`` on a worker thread, waited for ``seconds`` at most, so that the calling thread
    stays free for Ctrl-C and the limit (the engines let go of the GIL while they evaluate). A
    query past its limit is left to end on its daemon thread, since no engine can be stopped
    midway: QueryTimeout says so, and the CLI's process exits."""
    answer: list[QueryResult] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            answer.append(call())
        except BaseException as e:  # handed to the caller's thread
            failure.append(e)

    worker = threading.Thread(target=work, name="igkg-query", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise QueryTimeout(f"{query.path}: ran past {seconds:g} s, its time limit; ask for less (LIMIT), "
                           "or give --timeout SECONDS (0: no limit)")
    if failure:
        raise failure[0]
    return answer[0]


def refuse_service(query: NamedQuery) -> None:
    """QueryError for a federated query: SERVICE would make this machine call another endpoint."""
    if "SERVICE" in dataset_words(query.text):
        raise QueryError(f"{query.path}: SERVICE (a call to another SPARQL endpoint) is not run by igkg; "
                         "query that endpoint itself, or load its data with --data")


def reference_verb(g: Graph, value: str, option: str = "--relation") -> URIRef:
    """The reference property ``value`` names (``reaffirms``, ``refers to``, ``igkg:refersTo``, an
    IRI); ParameterError naming ``option`` and the known verbs otherwise."""
    verb: URIRef = parse_iri(value) or IGKG[verb_name(value)]
    if verb not in reference_properties(g):
        known = ", ".join(sorted(str(p).removeprefix(str(IGKG)) for p in reference_properties(g)))
        raise ParameterError(f"{option}: {value!r} is not a reference verb; use one of: {known}")
    return verb


def bind_params(
    g: Graph, query: NamedQuery, params: Mapping[str, str] | None = None, resolve: Callable[[str], URIRef] | None = None
) -> dict[str, RDFNode]:
    """The --param values as RDF terms of their declared types; ParameterError for unknown or
    missing ones. ``resolve`` turns a name into its node, where a parameter names one."""
    params = dict(params or {})
    declared = {p.name: p for p in query.params}
    bindings: dict[str, RDFNode] = {}
    for name, value in params.items():
        if declared:
            if name not in declared:
                raise ParameterError(f"query {query.name} has no parameter {name!r}; it takes: {', '.join(declared)}")
            bindings[name] = bind_param(g, declared[name], value, resolve)
        else:
            bindings[name] = parse_iri(value) or Literal(value)
    missing = [p.name for p in query.params if p.required and p.name not in params]
    if missing:
        raise ParameterError(f"query {query.name} needs --param {missing[0]}=…")
    return bindings


def prepare(query: NamedQuery):  # type: ignore[no-untyped-def]
    """The parsed query; QueryError with file, line and column for a syntax error."""
    # Imported here: the SPARQL grammar is built on import, and show and lineage never need it.
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(query.text, initNs=dict(PREFIXES))
    except ParseException as exc:
        raise QueryError(f"SPARQL syntax error in {query.path} at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
    except Exception as exc:
        raise QueryError(f"cannot parse {query.path}: {exc}") from None
