"""Big, endless, slow and compressed bodies, produced without holding them in memory."""

from __future__ import annotations

import functools
import itertools
import struct
import threading
import zlib
from collections.abc import Iterable, Iterator

MIB = 1 << 20
#: gzip-bomb filler: an 8-byte paragraph repeated (8 divides 1 MiB, so segments join cleanly);
#: deflate packs a MiB of it into about 1.5 KB
BOMB_PATTERN = b"<p>a</p>"


def paragraph_block(paragraphs: Iterable[str], size: int = 128 * 1024) -> bytes:
    """About ``size`` bytes of ``<p>`` paragraphs (real article text), to be repeated."""
    from tests.replica.htmlutil import texturize

    out: list[bytes] = []
    total = 0
    for text in itertools.cycle(list(paragraphs) or ["The talks continued on Monday."]):
        para = f"<p>{texturize(text)}</p>\n\n".encode()
        out.append(para)
        total += len(para)
        if total >= size:
            return b"".join(out)
    raise AssertionError("unreachable")


def sized_filler(block: bytes, n: int) -> Iterator[bytes]:
    """Exactly ``n`` bytes: ``block`` repeated, then one shorter paragraph to fill up."""
    full, rest = divmod(max(0, n), len(block))
    for _ in range(full):
        yield block
    if rest >= 7:
        words = b"More reporting from the region. " * (rest // 32 + 1)
        yield b"<p>" + words[: rest - 7] + b"</p>"
    elif rest:
        yield b" " * rest


def endless_filler(block: bytes) -> Iterator[bytes]:
    """``block`` forever (the server stops at disconnect or shutdown)."""
    while True:
        yield block


def drip(data: bytes, stop: threading.Event, interval: float) -> Iterator[bytes]:
    """One byte of ``data`` per ``interval`` seconds, then spaces, forever (until ``stop``)."""
    for i in itertools.count():
        yield data[i : i + 1] if i < len(data) else b" "
        if stop.wait(interval):
            return


@functools.lru_cache(maxsize=1)
def _bomb_segment() -> bytes:
    """One MiB of BOMB_PATTERN as a self-contained raw deflate segment (sync-flushed)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return c.compress(BOMB_PATTERN * (MIB // len(BOMB_PATTERN))) + c.flush(zlib.Z_SYNC_FLUSH)


@functools.lru_cache(maxsize=8)
def gzip_bomb(prefix: bytes, suffix: bytes, inflated_mb: int) -> bytes:
    """A single-member gzip file of ``prefix`` + ``inflated_mb`` MiB of filler + ``suffix``.

    Raw deflate segments from fresh compressors, each ending on a byte boundary (sync flush),
    concatenate into one valid stream; so the filler is compressed once (one MiB) and
    repeated, and the inflated text never exists here. Cached per process.
    """
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    mib = BOMB_PATTERN * (MIB // len(BOMB_PATTERN))
    crc = zlib.crc32(prefix)
    for _ in range(inflated_mb):
        crc = zlib.crc32(mib, crc)
    crc = zlib.crc32(suffix, crc)
    size = len(prefix) + inflated_mb * MIB + len(suffix)
    return b"".join(
        [
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff",  # gzip header: deflate, no name, Unix
            head.compress(prefix) + head.flush(zlib.Z_SYNC_FLUSH),
            _bomb_segment() * inflated_mb,
            tail.compress(suffix) + tail.flush(),
            struct.pack("<II", crc, size & 0xFFFFFFFF),
        ]
    )
