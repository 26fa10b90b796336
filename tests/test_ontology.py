"""The ontology is documented, carries its metadata, stays inside OWL 2 RL and aligns by sub-class/sub-property only."""

import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from igkg import resources
from igkg.pipeline.load import parse_file
from igkg.vocab import IGKG

ONTOLOGY = parse_file(resources.ontology_file())
TERMS = sorted(
    {s for s in ONTOLOGY.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(str(IGKG))},
    key=str,
)
# Constructs outside OWL 2 RL or that blow up the closure; none may appear.
FORBIDDEN = [OWL.unionOf, OWL.cardinality, OWL.minCardinality, OWL.someValuesFrom, OWL.equivalentClass,
             OWL.equivalentProperty, OWL.sameAs, OWL.FunctionalProperty, OWL.InverseFunctionalProperty]


def test_ontology_has_enough_terms() -> None:
    assert len(TERMS) > 80


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.split("#")[-1])
def test_every_term_has_label_and_comment(term: URIRef) -> None:
    assert ONTOLOGY.value(term, RDFS.label) is not None
    assert ONTOLOGY.value(term, RDFS.comment) is not None


def test_ontology_metadata() -> None:
    onto = URIRef("https://w3id.org/igkg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ONTOLOGY
    for prop in (OWL.versionIRI, DCTERMS.license, DCTERMS.creator, RDFS.label, RDFS.comment):
        assert ONTOLOGY.value(onto, prop) is not None, prop


@pytest.mark.parametrize("construct", FORBIDDEN, ids=lambda c: c.split("#")[-1])
def test_stays_in_owl_rl_without_costly_constructs(construct: URIRef) -> None:
    assert not list(ONTOLOGY.triples((None, construct, None))) and not list(ONTOLOGY.triples((None, RDF.type, construct)))


# (igkg term, the standard term it must specialise)
ALIGNMENTS = [
    (IGKG.Instrument, "http://data.europa.eu/eli/ontology#LegalResource", RDFS.subClassOf),
    (IGKG.Subdivision, "http://data.europa.eu/eli/ontology#LegalResourceSubdivision", RDFS.subClassOf),
    (IGKG.refersTo, "http://data.europa.eu/eli/ontology#cites", RDFS.subPropertyOf),
    (IGKG.refersTo, "http://purl.org/spar/cito/cites", RDFS.subPropertyOf),
    (IGKG.partOf, "http://data.europa.eu/eli/ontology#is_part_of", RDFS.subPropertyOf),
    (IGKG.dateAdopted, "http://data.europa.eu/eli/ontology#date_document", RDFS.subPropertyOf),
    (IGKG.adoptedBy, "http://data.europa.eu/eli/ontology#passed_by", RDFS.subPropertyOf),
    (IGKG.revises, "http://www.w3.org/ns/prov#wasRevisionOf", RDFS.subPropertyOf),
    (IGKG.Body, "http://www.w3.org/ns/org#Organization", RDFS.subClassOf),
    (IGKG.Citation, "http://purl.org/spar/cito/Citation", RDFS.subClassOf),
    (IGKG.title, "http://purl.org/dc/terms/title", RDFS.subPropertyOf),
    (IGKG.VerificationStatus, "http://www.w3.org/2004/02/skos/core#Concept", RDFS.subClassOf),
]


@pytest.mark.parametrize(("term", "standard", "via"), ALIGNMENTS, ids=lambda x: str(x).split("#")[-1].split("/")[-1])
def test_alignment(term: URIRef, standard: str, via: URIRef) -> None:
    assert (term, via, URIRef(standard)) in ONTOLOGY


def test_every_reference_verb_has_an_inverse() -> None:
    verbs = {s for s in ONTOLOGY.subjects(RDFS.subPropertyOf, IGKG.refersTo)}
    inverses = {o for o in ONTOLOGY.objects(None, OWL.inverseOf)}
    assert verbs and verbs <= inverses


def test_lineage_is_transitive_and_distinctness_symmetric() -> None:
    assert (IGKG.buildsOn, RDF.type, OWL.TransitiveProperty) in ONTOLOGY
    assert (IGKG.distinctFrom, RDF.type, OWL.SymmetricProperty) in ONTOLOGY


def test_shapes_target_the_ontology_classes() -> None:
    shapes = parse_file(resources.shapes_file())
    targets = set(shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass")))
    assert {IGKG.Instrument, IGKG.Subdivision, IGKG.Citation, IGKG.SourceDocument, IGKG.Process, IGKG.Meeting} <= targets
    assert all((t, RDF.type, OWL.Class) in ONTOLOGY for t in targets)
