import json
import time
from pathlib import Path

import pytest

from igkg import resources
from igkg.pipeline.compile import compile_graph, fingerprint
from igkg.pipeline.load import default_sources
from igkg.store import engine
from igkg.vocab import GRAPH_USER

from .conftest import write_ttl


def test_second_compile_comes_from_cache(kg) -> None:  # type: ignore[no-untyped-def]
    again = compile_graph(backend="memory")
    assert again.report.from_cache
    assert again.report.triples == kg.report.triples
    assert set(again.dataset) == set(kg.dataset)


@pytest.mark.slow
def test_changed_source_invalidates_cache(tmp_path: Path) -> None:
    extra = write_ttl(tmp_path, "mine.ttl", 'ex:a rdfs:label "one" .\n')
    first = compile_graph([extra])
    assert not first.report.from_cache and first.report.triples["user"] == 1
    assert compile_graph([extra]).report.from_cache
    extra.write_text(extra.read_text() + 'ex:b rdfs:label "two" .\n')
    changed = compile_graph([extra])
    assert not changed.report.from_cache
    assert len(changed.dataset.graph(GRAPH_USER)) == 2


@pytest.mark.slow
def test_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    extra = write_ttl(tmp_path, "other.ttl", 'ex:c rdfs:label "three" .\n')
    built = compile_graph([extra], backend="memory")  # the Oxigraph store's own case is in test_store_oxigraph
    assert built.report.cache_file
    Path(built.report.cache_file).write_text("this is not n-quads\n")
    again = compile_graph([extra], backend="memory")
    assert not again.report.from_cache
    assert again.report.triples == built.report.triples


def test_user_data_folder_is_loaded(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("IGKG_USER_DATA", str(tmp_path))
    write_ttl(tmp_path, "mine.ttl", 'ex:d rdfs:label "four" .\n')
    assert [p.name for p in default_sources().user] == ["mine.ttl"]


def test_fingerprint_depends_on_content(tmp_path: Path) -> None:
    extra = write_ttl(tmp_path, "f.ttl", "")
    before = fingerprint(default_sources([extra]), "fast", engine("memory"))
    time.sleep(0.01)
    extra.write_text("# comment\n")
    assert fingerprint(default_sources([extra]), "fast", engine("memory")) != before


def test_cache_metadata_records_timings(kg) -> None:  # type: ignore[no-untyped-def]
    meta = json.loads(Path(kg.report.cache_file).with_suffix(".json").read_text())
    assert meta["reason_seconds"] > 0 and meta["load_seconds"] > 0
    assert Path(kg.report.cache_file).parent == resources.cache_dir()


def test_cached_name_index_equals_a_fresh_one(kg) -> None:  # type: ignore[no-untyped-def]
    from igkg.analysis.names import RefIndex

    again = compile_graph(backend="memory")
    assert again.report.from_cache and "index" not in again.__dict__ and again.index_file is not None and again.index_file.is_file()
    fresh = RefIndex.build(again.store)
    assert again.index.keys == fresh.keys and again.index.titles == fresh.titles
    assert again.index.resolve("Tunis Agenda para 69") == fresh.resolve("Tunis Agenda para 69")


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_cache_keeps_only_the_newest_compiled_graphs(tmp_path: Path, backend: str) -> None:
    import os

    from igkg.pipeline.compile import CACHE_KEEP

    folder = resources.cache_dir()
    for i in range(CACHE_KEEP + 3):
        stale = folder / f"compiled-stale{i:02d}.json"
        stale.write_text("{}")
        (folder / f"compiled-stale{i:02d}.pickle").write_bytes(b"")
        (folder / f"compiled-stale{i:02d}.oxigraph").mkdir(exist_ok=True)  # a store is a folder
        os.utime(stale, (1_000_000 + i, 1_000_000 + i))  # older than anything real
    extra = tmp_path / "x.ttl"
    extra.write_text("<https://w3id.org/igkg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> \"x\" .\n")
    built = compile_graph([extra], backend=backend)
    metas = list(folder.glob("compiled-*.json"))
    assert len(metas) <= CACHE_KEEP
    assert Path(built.report.cache_file).exists()
    assert not (folder / "compiled-stale00.pickle").exists()
    assert not (folder / "compiled-stale00.oxigraph").exists()


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_a_lookup_after_the_build_reads_the_kept_index_and_no_network(tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from igkg import api
    from igkg.analysis import names
    from igkg.analysis.network import CitationNetwork

    # A cache folder of its own: compiled graphs here would push the session's out of the shared one.
    monkeypatch.setenv("IGKG_CACHE_DIR", str(tmp_path / "cache"))
    extra = write_ttl(tmp_path, "net.ttl", 'ex:n rdfs:label "n" .\n')
    first = compile_graph([extra], backend=backend)
    read = api.lineage(first, "Tunis Agenda para 69", "down")
    kept = first.index_file
    assert kept is not None and kept.is_file() and kept.parent == resources.cache_dir()
    # Beside the compiled graph: its report, its name index and its build lock, nothing read from it whole.
    beside = {f.name.removeprefix(Path(first.report.cache_file or "").stem) for f in kept.parent.iterdir()}
    assert beside == {".json", ".names.sqlite", ".lock", Path(first.report.cache_file or "").suffix}

    with monkeypatch.context() as m:
        m.setattr(names, "_built", lambda store: pytest.fail("the name index was built again"))
        m.setattr(CitationNetwork, "references", property(lambda self: pytest.fail("the whole network was read")))
        again = compile_graph([extra], backend=backend)
        assert again.report.from_cache and again.index_file == kept
        assert api.lineage(again, "Tunis Agenda para 69", "down") == read and read.steps
        assert api.show(again, "Tunis Agenda").incoming


@pytest.mark.parametrize("writable", [True, False])
def test_an_index_that_cannot_be_kept_is_built_in_memory(tmp_path: Path, writable: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from igkg.analysis import names

    monkeypatch.setenv("IGKG_CACHE_DIR", str(tmp_path / "cache"))
    extra = write_ttl(tmp_path, "net2.ttl", 'igr:m a igkg:Resolution ; rdfs:label "Resolution M" .\n')
    if writable:  # not asked to: an uncached graph writes nothing
        kg = compile_graph([extra], use_cache=False, backend="oxigraph")
        assert kg.index_file is None
    else:  # a read-only cache folder (root may write anywhere, so the rename is what fails)
        kg = compile_graph([extra], backend="oxigraph")
        assert kg.index_file is not None
        kg.index_file.unlink()
        monkeypatch.setattr(names, "replacing", _refused)
        kg = compile_graph([extra], backend="oxigraph")
    assert str(kg.index.resolve("Resolution M")).endswith("/m") and kg.index.keys
    assert not list((tmp_path / "cache").glob("*.names.sqlite")) and not list((tmp_path / "cache").glob(".tmp-*.sqlite"))


def _refused(path: Path, make_folder: bool = True) -> None:
    raise PermissionError(13, "read-only folder", str(path))


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_a_cached_graph_reports_the_counts_its_build_recorded(tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IGKG_CACHE_DIR", str(tmp_path / "cache"))
    extra = write_ttl(tmp_path, "counted.ttl", 'ex:c rdfs:label "c" .\n')
    built = compile_graph([extra], backend=backend)
    meta_file = Path(built.report.cache_file or "").with_suffix(".json")
    assert json.loads(meta_file.read_text())["triples"] == built.report.triples
    again = compile_graph([extra], backend=backend)
    assert again.report.from_cache and again.report.triples == again.store.counts() == built.report.triples
    # A cache written before the counts were recorded is counted again.
    meta = json.loads(meta_file.read_text())
    del meta["triples"]
    meta_file.write_text(json.dumps(meta))
    older = compile_graph([extra], backend=backend)
    assert older.report.from_cache and older.report.triples == built.report.triples
