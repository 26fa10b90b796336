"""The cache files' pickles: the same objects back, IRIs made without rdflib's check, the collector as it was."""

import gc
import io
import logging
import pickle

import pytest
from rdflib import BNode, Literal, URIRef

# vocab, not XSD itself: pytest probes a test module's attributes, and rdflib's namespace warns.
from igkg import pickles, vocab


def _roundtrip(obj: object) -> object:
    return pickles.load(io.BytesIO(pickles.dumps(obj)))


def test_terms_and_containers_come_back_equal_and_of_the_same_types() -> None:
    iri = URIRef("https://w3id.org/igkg/id/tunis-agenda.para-69")
    obj = {
        "keys": {"tunis agenda para 69": {iri}},
        "edges": [(iri, URIRef("https://w3id.org/igkg/ontology#reaffirms"), BNode("b1"), {"date": Literal("2005-11-18", datatype=vocab.XSD.date)})],
        "label": Literal("paragraph 69", lang="en"),
    }
    back = _roundtrip(obj)
    assert back == obj
    [(s, p, o, data)] = back["edges"]  # type: ignore[index]
    assert type(s) is URIRef and type(p) is URIRef and type(o) is BNode
    assert data["date"].datatype == vocab.XSD.date and back["label"].language == "en"  # type: ignore[index]


def test_iris_are_not_checked_again_when_loaded(caplog: pytest.LogCaptureFixture) -> None:
    odd = URIRef("https://example.org/a b")  # rdflib warns as it makes this one
    data, plain = pickles.dumps([odd]), pickle.dumps([odd])
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="rdflib.term"):
        assert pickles.load(io.BytesIO(data)) == [odd]
        assert not caplog.records
        pickle.loads(plain)  # what rdflib's own reduce does: the check runs again
        assert caplog.records


def test_the_collector_is_left_as_it_was_even_when_a_load_fails(collector_was: bool) -> None:
    assert _roundtrip([URIRef("https://example.org/x")]) == [URIRef("https://example.org/x")]
    assert gc.isenabled() is collector_was
    with pytest.raises(Exception):  # noqa: B017 - whatever a damaged file raises
        pickles.load(io.BytesIO(pickles.dumps(list(range(100)))[:-20]))
    assert gc.isenabled() is collector_was
