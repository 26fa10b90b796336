"""SPARQL text read without a parser: its variables and keywords outside strings, IRIs and comments.

rdflib's SPARQL grammar is built when first imported; a lookup on the Oxigraph store does not need
it to put a term in place of a variable or to see whether a query names graphs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib.term import Node as RDFNode

# Strings, IRIs, comments and prefixed names are skipped whole, so that a keyword or a
# variable inside one (a "?x" in a literal, an ex:GRAPH) is not taken for the query's own.
_TOKENS = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*|(?:[A-Za-z][\w.-]*)?:[\w.%-]*)"
    r"|(?P<bound>\bBOUND\s*\(\s*[?$](?P<bname>[A-Za-z_]\w*)\s*\))"
    r"|(?P<var>[?$](?P<name>[A-Za-z_][\w]*))"
    r"|(?P<where>\bWHERE\b|\{)"
    r"|(?P<select>\bSELECT\b)"
    r"|(?P<dataset>\bGRAPH\b|\bFROM\b|\bSERVICE\b)",
    re.IGNORECASE,
)


def substitute(text: str, bindings: Mapping[str, RDFNode]) -> str:
    """Put each bound term in place of its variable, as a prepared statement would.

    A trailing VALUES block is not the same thing: a FILTER inside a nested group or a
    UNION branch does not see it, while rdflib's initBindings (the embedded path) binds the
    variable everywhere. In a projection, the query's or a sub-select's, the variable becomes
    ``(term AS ?var)``, and ``BOUND(?var)`` becomes ``true``.
    """
    out: list[str] = []
    pos = 0
    in_projection = False
    for m in _TOKENS.finditer(text):
        if m["select"]:
            in_projection = True
            continue
        if m["where"]:
            in_projection = False
            continue
        if m["bound"] and m["bname"] in bindings:  # BOUND(?v) of a bound variable: true (BOUND takes no constant)
            out.append(text[pos : m.start()])
            out.append("true")
            pos = m.end()
            continue
        if not m["var"] or m["name"] not in bindings:
            continue
        term = bindings[m["name"]].n3()
        out.append(text[pos : m.start()])
        out.append(f"({term} AS {m['var']})" if in_projection else term)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def dataset_words(text: str) -> set[str]:
    """Which of GRAPH, FROM (as in FROM NAMED too) and SERVICE the query uses, upper-cased."""
    return {m["dataset"].upper() for m in _TOKENS.finditer(text) if m["dataset"]}


def names_graphs(text: str) -> bool:
    """Whether the query has a GRAPH pattern or a FROM (NAMED) clause: it asks which graph a
    triple is in, not only whether the union holds it."""
    return bool(dataset_words(text) - {"SERVICE"})


def subselect(variables: str, pattern: str, distinct: bool = False) -> str:
    """A graph pattern as a sub-select: Oxigraph scans a sub-select whole and hash-joins it with
    the rest, where a plain group would look each node up in the indexes one by one."""
    return f"{{ SELECT {'DISTINCT ' if distinct else ''}{variables} WHERE {{ {pattern} }} }}"
