"""Reading a file that may be anything: a fifo, a device, a huge file, a symlink.

``open(path).read()`` on a fifo blocks forever and on ``/dev/zero`` never ends. Every file
actorlint reads (sources, config, ``.gitignore``, cache entries) goes through
:func:`read_regular_file`, which opens without blocking, looks at what it opened, and
reads at most a given number of bytes.
"""

from __future__ import annotations

import errno
import os
import stat

__all__ = ["read_regular_file"]

_KIND = {
    stat.S_IFIFO: "a fifo", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory",
}


def read_regular_file(path: "os.PathLike[str] | str", limit: int, follow_symlinks: bool = True) -> bytes:
    """The bytes of the regular file at ``path``.

    Raises ``OSError`` (with a readable ``strerror``) when it cannot be opened, is not a
    regular file, or holds more than ``limit`` bytes; with ``follow_symlinks=False`` a
    symlink is refused too.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = _KIND.get(stat.S_IFMT(info.st_mode), "not a regular file")
            raise OSError(errno.EINVAL, f"Not a regular file ({kind})", os.fspath(path))
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"File too large ({info.st_size:,} bytes; the limit is {limit:,})",
                          os.fspath(path))
        chunks = []
        size = 0
        while True:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise OSError(errno.EFBIG, f"File too large (over {limit:,} bytes)", os.fspath(path))
        return b"".join(chunks)
    finally:
        os.close(descriptor)
