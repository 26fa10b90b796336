"""The collector paused for a block and left as it was found, whatever the block does."""

import gc

import pytest

from igkg.collector import paused


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_inside_and_restored_after_even_on_error(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(KeyError), paused():
            raise KeyError("inside")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
