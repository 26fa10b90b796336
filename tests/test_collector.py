"""The collector paused for a block and left as it was found, whatever the block does."""

import gc
import io

import pytest

from igkg.collector import paused


def test_paused_inside_and_restored_after_even_on_error(collector_was: bool) -> None:
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled() is collector_was
    with pytest.raises(KeyError), paused():
        raise KeyError("inside")
    assert gc.isenabled() is collector_was


def test_a_load_freezes_only_where_the_process_asked_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from igkg import collector, pickles

    blob = pickles.dumps({"a": [1, 2], "b": {"c": (3,)}})
    before = gc.get_freeze_count()
    try:
        assert pickles.load(io.BytesIO(blob)) == {"a": [1, 2], "b": {"c": (3,)}}
        assert gc.get_freeze_count() == before
        monkeypatch.setattr(collector, "_freeze_loads", False)
        collector.freeze_loads()
        pickles.load(io.BytesIO(blob))
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
