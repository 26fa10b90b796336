"""Writing files so that a failed write never leaves half a file or touches the wrong place."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def check_writable(path: Path, make_folder: bool = True) -> None:
    """Raise the error a write to ``path`` would end in, before any work is done: ``path`` is a
    folder, or (unless ``make_folder``) its folder is not there."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory; give a file name", str(path))
    if not make_folder and not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(path.parent))


def write_atomic(path: Path, data: bytes, make_folder: bool = True) -> None:
    """Write through a temporary file and rename. igkg's own folders (the cache, the user data)
    are made; a folder a user names is not."""
    with replacing(path, make_folder) as tmp:
        tmp.write_bytes(data)


@contextmanager
def replacing(path: Path, make_folder: bool = True) -> Iterator[Path]:
    """A temporary file beside ``path`` for the block to write (by any means: a database is
    written through its own connection), renamed to ``path`` when the block ends without error
    and deleted otherwise. Folders as for ``write_atomic``."""
    check_writable(path, make_folder)
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def exclusive(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file ``lock`` (made if missing) for the block: a second
    process asking for it waits until the first is done. Released by the system if the holder
    dies, so a killed build never blocks the next one."""
    import fcntl

    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
