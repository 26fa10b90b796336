"""The collector paused for a block and left as it was found, whatever the block does."""

import gc

import pytest

from igkg.collector import paused


def test_paused_inside_and_restored_after_even_on_error(collector_was: bool) -> None:
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled() is collector_was
    with pytest.raises(KeyError), paused():
        raise KeyError("inside")
    assert gc.isenabled() is collector_was
