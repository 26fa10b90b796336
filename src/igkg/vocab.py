"""Namespaces and graph names used across igkg, in one place."""

from typing import Any

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

IGKG = Namespace("https://w3id.org/igkg/ontology#")
IGR = Namespace("https://w3id.org/igkg/id/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
CITO = Namespace("http://purl.org/spar/cito/")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DCT = DCTERMS

# Named graphs of the compiled dataset. Asserted and inferred triples never mix.
GRAPH_BASE = "https://w3id.org/igkg/graph/"
GRAPH_ONTOLOGY = URIRef(GRAPH_BASE + "ontology")
GRAPH_DATA = URIRef(GRAPH_BASE + "data")
GRAPH_USER = URIRef(GRAPH_BASE + "user")
GRAPH_INFERRED = URIRef(GRAPH_BASE + "inferred")
ASSERTED_GRAPHS = (GRAPH_ONTOLOGY, GRAPH_DATA, GRAPH_USER)
# What a push writes beside the four on a remote store (store/push.py): the names index, and
# the manifest that makes the graphs one release.
GRAPH_NAMES = URIRef(GRAPH_BASE + "names")
GRAPH_MANIFEST = URIRef(GRAPH_BASE + "manifest")

# Namespace objects of our own and rdflib's closed namespaces (RDF, OWL ...) alike.
PREFIXES: dict[str, Any] = {
    "igkg": IGKG,
    "igr": IGR,
    "eli": ELI,
    "cito": CITO,
    "org": ORG,
    "foaf": FOAF,
    "dct": DCT,
    "prov": PROV,
    "skos": SKOS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}

__all__ = [
    "ASSERTED_GRAPHS", "CITO", "DCT", "ELI", "FOAF", "GRAPH_DATA", "GRAPH_INFERRED",
    "GRAPH_MANIFEST", "GRAPH_NAMES", "GRAPH_ONTOLOGY", "GRAPH_USER", "IGKG", "IGR", "ORG", "OWL", "PREFIXES", "PROV",
    "RDF", "RDFS", "SKOS", "VOID", "XSD",
]
