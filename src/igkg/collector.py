"""The cyclic garbage collector, paused while igkg makes many objects none of which is garbage.

CPython runs the collector each time some hundreds of containers have been made, and each run
walks every young object; compiling a 10,000-instrument graph makes tens of millions of tuples
(interned triples, the closure), reading its citation network or its cache files hundreds of
thousands of dicts and sets, and none of them becomes cyclic garbage. Paused there, the compile
took 31-33 s instead of 35-37 s (three alternating pairs, the same peak memory: nothing was left
for the collector to free), the network read 3.5-4.0 s instead of 4.5-5.2 s.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector is left as it was found."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
