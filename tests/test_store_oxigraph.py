"""The Oxigraph backend: the same graph and the same answers as the in-memory one, read from disk."""

import contextlib
import sqlite3
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from igkg import api
from igkg.analysis.names import normalize
from igkg.analysis.nodes import NODE_FACTS, ReadAhead, node
from igkg.cli import app
from igkg.errors import QueryError, SourceFileError
from igkg.graph import KnowledgeGraph
from igkg.pipeline.compile import compile_graph
from igkg.store.oxigraph import OxigraphStore
from igkg.store.oxigraph_compile import compile_store
from igkg.vocab import ASSERTED_GRAPHS, GRAPH_INFERRED

from .conftest import ontology_plus, write_ttl

GRAPHS = (*ASSERTED_GRAPHS, GRAPH_INFERRED)
runner = CliRunner()


@pytest.mark.slow
def test_store_holds_the_same_four_graphs_as_the_memory_backend(kg: KnowledgeGraph, oxkg: KnowledgeGraph) -> None:
    assert oxkg.store.engine == 'oxigraph' and kg.store.engine == 'memory'
    for ox_graph, memory_graph in ((oxkg, kg), (oxkg.full(), kg.full())):
        for name in GRAPHS:
            assert set(ox_graph.dataset.graph(name)) == set(memory_graph.dataset.graph(name)), name
    assert 2000 < len(oxkg.dataset.graph(GRAPH_INFERRED)) < len(oxkg.full().dataset.graph(GRAPH_INFERRED))


def test_the_inferred_graph_is_the_store_s_default_graph(oxkg: KnowledgeGraph) -> None:
    # Half the indexes for the derived quads (store/oxigraph.py); the view still names the graph.
    import pyoxigraph as ox

    store = oxkg.store.ox  # type: ignore[attr-defined]
    assert {g.value for g in store.named_graphs()} <= {str(g) for g in ASSERTED_GRAPHS}
    default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert default == len(oxkg.dataset.graph(GRAPH_INFERRED)) == oxkg.report.triples["inferred"] > 2000
    assert GRAPH_INFERRED in {g.identifier for g in oxkg.dataset.graphs()}


def test_a_write_to_the_union_is_refused_rather_than_taken_for_an_inferred_triple() -> None:
    import pyoxigraph as ox
    from rdflib import Literal
    from rdflib.namespace import RDFS

    from igkg.store.oxigraph import OxigraphStore

    ds = OxigraphStore(ox.Store()).dataset
    triple = (URIRef("urn:x"), RDFS.label, Literal("x"))
    with pytest.raises(ValueError, match="named graphs"):
        ds.add(triple)
    ds.graph(ASSERTED_GRAPHS[1]).add(triple)
    assert set(ds.graph(ASSERTED_GRAPHS[1])) == {triple} and not len(ds.graph(GRAPH_INFERRED))


def test_second_open_comes_from_the_store_on_disk(oxkg: KnowledgeGraph) -> None:
    again = compile_graph(backend="oxigraph")
    assert again.report.from_cache and Path(again.report.cache_file or "").is_dir()
    assert again.report.triples == oxkg.report.triples
    assert again.index.keys == oxkg.index.keys


@pytest.mark.slow
def test_reference_reasoner_through_the_store_gives_the_same_closure(tmp_path: Path) -> None:
    data = write_ttl(tmp_path, "small.ttl", """
igr:s a igkg:SourceDocument ; rdfs:label "S" ; igkg:url <https://example.org/s> .
igr:b a igkg:Body ; rdfs:label "B" .
igr:old a igkg:Resolution ; rdfs:label "Old" ; igkg:dateAdopted "2001-01-01"^^xsd:date ; igkg:adoptedBy igr:b ; dct:source igr:s .
igr:new a igkg:Opinion ; rdfs:label "New" ; igkg:dateAdopted "2010-01-01"^^xsd:date ; igkg:adoptedBy igr:b ; dct:source igr:s .
igr:c a igkg:Citation ; igkg:citingEntity igr:new ; igkg:relation igkg:reaffirms ; igkg:citedEntity igr:old ; dct:source igr:s .
""")
    sources = ontology_plus(data)
    for full in (False, True):  # the part igkg reads, and the whole closure
        fast = compile_graph(sources=sources, backend="oxigraph", use_cache=False, full=full)
        ref = compile_graph(sources=sources, backend="oxigraph", reasoner="owlrl", use_cache=False, full=full)
        memory = compile_graph(sources=sources, use_cache=False, full=full)
        inferred = {name: set(g.dataset.graph(GRAPH_INFERRED)) for name, g in (("fast", fast), ("owlrl", ref), ("memory", memory))}
        assert inferred["fast"] == inferred["owlrl"] == inferred["memory"]


def test_blank_nodes_in_a_source_reason_about_the_stored_nodes(tmp_path: Path) -> None:
    # The loader hands the reasoner the triples it parsed beside the bulk load, except where a
    # file has blank nodes: each parse names them afresh, so the reasoner must read the store.
    from rdflib import BNode

    data = write_ttl(tmp_path, "blank.ttl", """
igr:b a igkg:Body ; rdfs:label "B" .
igr:p a igkg:Paragraph ; rdfs:label "P" ; igkg:partOf [ a igkg:Resolution ; rdfs:label "Anonymous" ; igkg:adoptedBy igr:b ] .
""")
    oxi = compile_graph(sources=ontology_plus(data), backend="oxigraph", use_cache=False)
    memory = compile_graph(sources=ontology_plus(data), use_cache=False)
    inferred, asserted = oxi.dataset.graph(GRAPH_INFERRED), set(oxi.dataset.graph(ASSERTED_GRAPHS[1]))
    stored = {t for triple in asserted for t in triple if isinstance(t, BNode)}
    derived = {t for triple in inferred for t in triple if isinstance(t, BNode)}
    assert len(stored) == 1 and derived == stored
    assert len(inferred) == len(memory.dataset.graph(GRAPH_INFERRED))


def test_malformed_turtle_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', encoding="utf-8")
    with pytest.raises(SourceFileError) as err:
        compile_graph([bad], backend="oxigraph", use_cache=False)
    assert str(err.value).startswith(f"{bad}:3: bad syntax")


def test_malformed_turtle_after_blank_nodes_names_file_and_line(tmp_path: Path) -> None:
    # After a file with blank nodes the loader stops parsing beside the write, so the error
    # comes from the background write, when the reasoner waits for it: same file, same line.
    blank = write_ttl(tmp_path, "blank.ttl", 'igr:p igkg:partOf [ a igkg:Resolution ] .\n')
    bad = tmp_path / "zz-bad.ttl"
    bad.write_text('@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', encoding="utf-8")
    with pytest.raises(SourceFileError) as err:
        compile_graph(sources=ontology_plus(blank, bad), backend="oxigraph", use_cache=False)
    assert str(err.value).startswith(f"{bad}:3: bad syntax")


def test_derived_literals_written_as_text_come_back_the_same(tmp_path: Path) -> None:
    # On disk the derived quads go to the loader as N-Quads text: every escape must survive.
    odd = 'A/RES/1 \\"quoted\\" back\\\\slash\\nnew line \u00e9\u4e2d\U0001f600'
    data = write_ttl(tmp_path, "odd.ttl", f"""
igr:r a igkg:Resolution ; rdfs:label "R"@fr-CA ; igkg:symbol "{odd}" ; igkg:dateAdopted "2001-02-03"^^xsd:date .
""")
    sources = ontology_plus(data)
    folder = tmp_path / "store"
    compile_store(sources, folder, full=True)  # dct:identifier, igkg:symbol's alignment, is in the full closure
    on_disk = set(OxigraphStore.open(folder).dataset.graph(GRAPH_INFERRED))
    memory = set(compile_graph(sources=sources, use_cache=False, full=True).dataset.graph(GRAPH_INFERRED))
    ids = {o for _, p, o in on_disk if p == URIRef("http://purl.org/dc/terms/identifier")}
    assert on_disk == memory and len(ids) == 1 and "\u4e2d" in str(next(iter(ids)))
    assert not list(tmp_path.glob(".scratch-*"))


def test_blank_nodes_in_a_source_compiled_to_disk_keep_their_stored_labels(tmp_path: Path) -> None:
    # The text the derived quads go through would relabel blank nodes: they go in as objects.
    from rdflib import BNode

    data = write_ttl(tmp_path, "blank.ttl", """
igr:b a igkg:Body ; rdfs:label "B" .
igr:p a igkg:Paragraph ; rdfs:label "P" ; igkg:partOf [ a igkg:Resolution ; rdfs:label "Anonymous" ; igkg:adoptedBy igr:b ] .
""")
    folder = tmp_path / "store"
    compile_store(ontology_plus(data), folder)
    ds = OxigraphStore.open(folder).dataset
    stored = {t for triple in ds.graph(ASSERTED_GRAPHS[1]) for t in triple if isinstance(t, BNode)}
    derived = {t for triple in ds.graph(GRAPH_INFERRED) for t in triple if isinstance(t, BNode)}
    assert len(stored) == 1 and derived == stored


def test_a_failed_build_leaves_the_previous_store(tmp_path: Path) -> None:
    good = write_ttl(tmp_path, "good.ttl", 'ex:a rdfs:label "a" .\n')
    folder = tmp_path / "store"
    compile_store(ontology_plus(good), folder)
    before = len(OxigraphStore.open(folder).dataset)
    bad = tmp_path / "bad.ttl"
    bad.write_text("ex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(SourceFileError):
        compile_store(ontology_plus(bad), folder)
    assert len(OxigraphStore.open(folder).dataset) == before > 0
    assert not list(tmp_path.glob(".tmp-*")) and not list(tmp_path.glob(".scratch-*"))


@pytest.mark.slow
def test_damaged_store_is_rebuilt(tmp_path: Path) -> None:
    extra = write_ttl(tmp_path, "x.ttl", 'ex:x rdfs:label "x" .\n')
    built = compile_graph([extra], backend="oxigraph")
    (Path(built.report.cache_file or "") / "CURRENT").write_bytes(b"not a manifest name\n")
    again = compile_graph([extra], backend="oxigraph")
    assert not again.report.from_cache and again.report.triples == built.report.triples


@pytest.mark.slow
def test_the_name_index_is_read_when_first_asked_for_and_built_again_if_damaged(tmp_path: Path) -> None:
    from igkg.analysis.names import RefIndex

    extra = write_ttl(tmp_path, "x.ttl", 'igr:x a igkg:Resolution ; rdfs:label "Resolution X" .\n')
    built = compile_graph([extra], backend="oxigraph")
    fresh = RefIndex.build(built.store)
    again = compile_graph([extra], backend="oxigraph")
    assert again.report.from_cache and "index" not in again.__dict__
    assert api.query(again, "most-cited").rows and "index" not in again.__dict__  # no name to resolve
    assert api.resolve(again, "igr:x") == api.resolve(built, "Resolution X") and "index" not in again.__dict__  # an IRI
    assert again.index.keys == fresh.keys and again.index.titles == fresh.titles
    index_file = Path(built.report.cache_file or "").with_suffix(".names.sqlite")
    assert index_file == again.index_file

    def garbage_pages() -> None:  # the header intact, the pages after it not: found when read
        data = bytearray(index_file.read_bytes())
        assert len(data) > 3 * 4096
        data[4096:] = b"\xff" * (len(data) - 4096)
        index_file.write_bytes(bytes(data))

    def another_version() -> None:  # a database written by code that normalised otherwise
        with contextlib.closing(sqlite3.connect(index_file)) as db:
            db.execute("PRAGMA user_version = 7")
            db.commit()

    damages = (lambda: index_file.write_bytes(b"not a database"), index_file.unlink, garbage_pages, another_version,
               lambda: index_file.write_bytes(b""))
    for damage in damages:
        damage()
        damaged = compile_graph([extra], backend="oxigraph")
        assert damaged.report.from_cache
        assert str(damaged.index.resolve("Resolution X")).endswith("/x")
        assert damaged.index.keys == fresh.keys and damaged.index.titles == fresh.titles
        with contextlib.closing(sqlite3.connect(index_file)) as db:  # written again, for the next call
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            rows = db.execute("SELECT key, title, node FROM names").fetchall()
        assert {(k, t) for k, t, _ in rows} == {(k, 0) for k in fresh.keys} | {(k, 1) for k in fresh.titles}
    assert not list(index_file.parent.glob(".tmp-*.sqlite"))  # no temporary index left behind


@pytest.mark.slow
def test_facts_read_ahead_describe_each_node_as_the_store_does(oxkg: KnowledgeGraph) -> None:
    g = oxkg.dataset
    iris = {t for triple in g.triples((None, None, None)) for t in triple if isinstance(t, URIRef)}
    assert len(iris) > 1500
    facts = ReadAhead(oxkg.store.facts(iris, NODE_FACTS))  # type: ignore[arg-type]
    ahead = {t: node(facts, t) for t in iris}
    assert ahead == {t: node(g, t) for t in iris}
    assert {n.pinpoint for n in ahead.values()} >= {"para 69", "para 78(a)"}


@pytest.mark.slow
def test_facts_read_ahead_in_batches_skip_what_was_fetched_and_describe_as_in_one(oxkg: KnowledgeGraph) -> None:
    g = oxkg.dataset
    store = oxkg.store
    assert store is not None
    iris = sorted({t for triple in g.triples((None, None, None)) for t in triple if isinstance(t, URIRef)})
    first, second = set(iris[::2]), set(iris[1::2])
    fetched: set[URIRef] = set()
    facts = ReadAhead(store.facts(first, NODE_FACTS, fetched))
    assert first <= fetched and store.facts(first, NODE_FACTS, fetched) == []
    facts.extend(store.facts(second, NODE_FACTS, fetched))
    assert {t: node(facts, t) for t in iris} == {t: node(g, t) for t in iris}


def test_syntax_error_in_a_query_gives_line_and_column(oxkg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="line 1, column"):
        api.query(oxkg, text="SELECT ?x WHERE { ?x ?y }")


def test_the_citation_network_is_the_same_on_both_backends(kg: KnowledgeGraph, oxkg: KnowledgeGraph) -> None:
    def edges(g: KnowledgeGraph) -> list[tuple[str, ...]]:
        return sorted((str(s), str(p), str(o), *(str(d.get(k)) for k in ("citation", "pinpoint", "verification")))
                      for s, o, p, d in g.network.references.edges())

    memory = edges(kg)
    assert len(memory) > 500 and any(p.endswith("#refersTo") for _, p, *_ in memory)
    assert edges(oxkg) == memory


def test_values_are_the_lexical_forms_of_the_query_s_terms(kg: KnowledgeGraph, oxkg: KnowledgeGraph) -> None:
    text = "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o }"
    fast = oxkg.store.values(text)
    assert sorted(fast) == sorted(tuple(str(t) for t in row) for row in oxkg.store.query(text).rows)  # type: ignore[arg-type]
    assert sorted(fast) == sorted(kg.store.values(text)) and len(fast) > 100
    with pytest.raises(QueryError):
        oxkg.store.query("SELECT ?x WHERE { ?x ?y }")


# A whole instrument as the target takes rdflib (the memory backend) seconds per query.
@pytest.mark.parametrize("target", ["Tunis Agenda para 69", pytest.param("Tunis Agenda", marks=pytest.mark.slow),
                                    pytest.param("A/RES/70/125", marks=pytest.mark.slow)])
def test_parameters_are_bound_everywhere_as_on_the_memory_backend(kg: KnowledgeGraph, oxkg: KnowledgeGraph, target: str) -> None:
    compared = 0
    for verb in (None, "reaffirms", "recalls"):
        params = {"target": target, **({"relation": verb} if verb else {})}
        mem, ox = api.query(kg, "citing", params=params), api.query(oxkg, "citing", params=params)
        assert ox.variables == mem.variables and ox.rows == mem.rows, (target, verb)
        compared += len(mem.rows)
    assert compared  # the comparison has rows


# The quick loop runs one of each command on both backends, and the count that would see the
# inferred graph twice; the rest run in the full suite.
COMMANDS = [
    ["lineage", "Tunis Agenda para 69", "--direction", "down"],
    pytest.param(["lineage", "A/RES/70/125", "--direction", "up", "-f", "json"], marks=pytest.mark.slow),
    pytest.param(["lineage", "PP Res 102 (Rev. Guadalajara, 2010)", "--direction", "both", "-f", "dot"], marks=pytest.mark.slow),
    pytest.param(["lineage", "PP Res 102", "--revisions"], marks=pytest.mark.slow),
    pytest.param(["lineage", "WTPF-13 Opinion 6", "--to", "Tunis Agenda"], marks=pytest.mark.slow),
    pytest.param(["show", "IGF"], marks=pytest.mark.slow),
    ["show", "Tunis Agenda §78(a)", "-f", "json"],
    pytest.param(["show", "ITU Council"], marks=pytest.mark.slow),
    pytest.param(["stats"], marks=pytest.mark.slow),
    pytest.param(["stats", "-f", "json"], marks=pytest.mark.slow),
    ["export", "-f", "turtle"],
    pytest.param(["export", "-f", "nquads", "--inferred"], marks=pytest.mark.slow),
    pytest.param(["export", "-f", "nt"], marks=pytest.mark.slow),
    pytest.param(["export", "-f", "nt", "--inferred"], marks=pytest.mark.slow),
    pytest.param(["export", "-f", "jsonld"], marks=pytest.mark.slow),
    pytest.param(["query", "most-cited"], marks=pytest.mark.slow),
    pytest.param(["query", "igf-vs-ec", "-f", "json"], marks=pytest.mark.slow),
    pytest.param(["query", "unverified-facts", "-f", "csv"], marks=pytest.mark.slow),
    pytest.param(["query", "revision-history", "-p", "input=PP Res 102"], marks=pytest.mark.slow),
    pytest.param(["query", "process-paragraphs", "-p", "process=enhanced cooperation"], marks=pytest.mark.slow),
    ["query", "-e", "ASK { igr:igf igkg:distinctFrom igr:enhanced-cooperation }"],
    # The store keeps the inferred graph as its default graph: queries that name graphs
    # must not see it (store/oxigraph.ox_graph).
    pytest.param(["query", "-e", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"], marks=pytest.mark.slow),
    ["query", "-e", "SELECT ?c (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/igkg/graph/inferred> { ?s a ?c } } GROUP BY ?c ORDER BY ?c"],
    pytest.param(["query", "-e", "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/igkg/graph/inferred> WHERE { ?s ?p ?o }"], marks=pytest.mark.slow),
    pytest.param(["query", "-e", "SELECT ?g (COUNT(*) AS ?n) FROM NAMED <https://w3id.org/igkg/graph/data> "
                                 "FROM NAMED <https://w3id.org/igkg/graph/inferred> WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"],
                 marks=pytest.mark.slow),
    pytest.param(["lineage", "Tunis Agenda para 699"], marks=pytest.mark.slow),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a)[:60])
def test_every_command_gives_the_same_output_on_both_backends(args: list[str], kg: KnowledgeGraph, oxkg: KnowledgeGraph) -> None:
    memory = runner.invoke(app, ["--backend", "memory", *args])
    oxigraph = runner.invoke(app, ["--backend", "oxigraph", *args])
    assert (oxigraph.exit_code, oxigraph.stdout, oxigraph.stderr) == (memory.exit_code, memory.stdout, memory.stderr)
    assert memory.stdout or memory.exit_code == 3


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["oxigraph", "memory"])
def test_an_unwritable_cache_folder_only_costs_speed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    from igkg.progress import Progress

    class Stages(Progress):
        def __init__(self) -> None:
            self.names: list[str] = []

        def stage(self, name: str):  # type: ignore[no-untyped-def, override]
            self.names.append(name.split(" ")[0])
            return super().stage(name)

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("IGKG_CACHE_DIR", str(blocker / "cache"))  # below a file: nothing can be written
    seen = Stages()
    kg = compile_graph(backend=backend, progress=seen)
    assert kg.report.cache_file is None and not kg.report.from_cache
    assert seen.names.count("reasoning") == 1  # compiled once, not again after the failed write
    assert api.lineage(kg, "Tunis Agenda para 69", direction="down").steps


def test_a_pattern_no_triple_can_match_gives_nothing_as_in_memory(kg: KnowledgeGraph, oxkg: KnowledgeGraph) -> None:
    from rdflib import Literal
    from rdflib.namespace import RDFS

    for g in (kg.dataset, oxkg.dataset):
        assert g.value(Literal("x"), RDFS.label) is None
        assert list(g.triples((None, Literal("a"), None))) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", ["folder", "data.rdf", "missing.ttl"])
def test_a_bad_source_file_gives_the_same_error_on_both_backends(tmp_path: Path, name: str) -> None:
    bad = tmp_path / name
    if name == "folder":
        bad.mkdir()
    elif name == "data.rdf":
        bad.write_text("<a> <b> <c> .\n", encoding="utf-8")
    messages = []
    for backend in ("memory", "oxigraph"):
        with pytest.raises(SourceFileError) as err:
            compile_graph([bad], backend=backend, use_cache=False)
        messages.append(str(err.value))
    assert messages[0] == messages[1] and messages[0].startswith(str(bad))


def test_name_index_is_the_same_on_both_backends_and_skips_blank_names(tmp_path: Path) -> None:
    # A blank node where a name should be is no name, on either backend: the Oxigraph index
    # reads its rows as strings, and a blank node has none.
    odd = write_ttl(tmp_path, "odd.ttl", """
igr:x a igkg:Resolution ; rdfs:label "Odd resolution" , [ ] ; skos:altLabel [ ] ; igkg:symbol "ODD/1" .
""")
    mem = compile_graph(sources=ontology_plus(odd), use_cache=False)
    ox_kg = compile_graph(sources=ontology_plus(odd), backend="oxigraph")
    assert mem.index.keys == ox_kg.index.keys and mem.index.titles == ox_kg.index.titles
    x = URIRef("https://w3id.org/igkg/id/x")
    assert {k for k, nodes in mem.index.keys.items() if x in nodes} == {normalize("Odd resolution"), normalize("ODD/1"), normalize("igr:x")}
    assert ox_kg.index.resolve("ODD/1") == x


_RULE_READING_PART_OF = """PREFIX igkg: <https://w3id.org/igkg/ontology#>
CONSTRUCT { ?citing igkg:refersTo ?cited }
WHERE { ?c igkg:citingEntity ?citing ; igkg:citedEntity ?cited FILTER EXISTS { ?cited igkg:partOf ?whole } }"""
_RULE_READING_ANY_PREDICATE = """PREFIX igkg: <https://w3id.org/igkg/ontology#>
CONSTRUCT { ?citing igkg:refersTo ?cited }
WHERE { ?c igkg:citingEntity ?citing ; igkg:citedEntity ?cited . ?cited ?any ?whole }"""


@pytest.mark.parametrize("rule", [None, _RULE_READING_PART_OF, _RULE_READING_ANY_PREDICATE],
                         ids=["shipped rules", "a predicate read in FILTER EXISTS", "a variable predicate"])
def test_rules_run_on_the_triples_they_read_derive_what_they_derive_from_all(rule: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyoxigraph as ox

    from igkg.pipeline import reason
    from igkg.pipeline.load import default_sources
    from igkg.store.oxigraph_compile import Loading, _rules

    if rule is not None:
        monkeypatch.setattr(reason, "rule_texts", lambda: [rule])
    sources = default_sources(include_user_dir=False)
    whole = ox.Store()
    loading = Loading(whole, sources)
    loading.wait()
    assert loading.parsed is not None
    terms = loading.ids.terms
    derived = {(terms[s], terms[p], terms[o]) for s, p, o in loading.parsed[1]}
    assert derived == _rules(whole)
    assert len(derived) > 10


def test_triples_from_and_to_are_the_same_on_both_backends(kg: KnowledgeGraph, oxkg: KnowledgeGraph) -> None:
    from igkg.vocab import IGKG, IGR, RDFS

    nodes = [IGR["wsis-tunis-agenda"], IGR["wsis-tunis-agenda.para-69"], URIRef("urn:nothing")]
    verbs = (IGKG.partOf, IGKG.refersTo, IGKG.reaffirms, RDFS.label)
    for name in ("triples_from", "triples_to"):
        memory, oxigraph = (set(getattr(g.store, name)(nodes, verbs)) for g in (kg, oxkg))
        assert memory == oxigraph and {p for _, p, _ in memory} >= {IGKG.partOf, RDFS.label if name == "triples_from" else IGKG.refersTo}, name
    assert kg.store.triples_from(nodes, ()) == oxkg.store.triples_from([], verbs) == []


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_triples_of_a_blank_node_are_read_though_no_query_can_name_it(tmp_path: Path, backend: str) -> None:
    from igkg.vocab import IGKG, IGR, RDFS

    data = write_ttl(tmp_path, "blank.ttl", 'igr:x rdfs:label "X" ; igkg:partOf [ rdfs:label "inside" ] .\n')
    store = compile_graph(sources=ontology_plus(data), use_cache=False, backend=backend).store
    [(_, _, blank)] = store.triples_from([IGR["x"]], (IGKG.partOf,))
    assert [o for _, _, o in store.triples_from([blank], (RDFS.label,))] == [Literal("inside")]
    assert [s for s, _, _ in store.triples_to([blank], (IGKG.partOf,))] == [IGR["x"]]
