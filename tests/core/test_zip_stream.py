"""core.streaming.zip_stream: a ZIP written while it is read, one member at a time."""

import io
import os
import zipfile
from datetime import datetime

from core.streaming import zip_stream

MODIFIED = datetime(2026, 12, 6, 9, 30)


def test_members_come_out_whole_and_in_order():
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(zip_stream([("a.txt", ["hej ", "då".encode()]), ("b.json", ["[]"])], modified=MODIFIED)))
    )
    assert archive.testzip() is None
    assert archive.namelist() == ["a.txt", "b.json"]
    assert archive.read("a.txt").decode() == "hej då"
    assert archive.getinfo("b.json").date_time == (2026, 12, 6, 9, 30, 0)


def test_the_archive_is_sent_in_bounded_chunks_before_later_members_are_read():
    started = []

    def member(name, pieces):
        started.append(name)
        yield from pieces

    noise = [os.urandom(1024) for _ in range(200)]  # 200 KiB that does not compress
    chunks = zip_stream(
        ((name, member(name, noise)) for name in ("first.bin", "second.bin")), modified=MODIFIED, chunk_bytes=16 * 1024
    )
    first = next(chunks)
    assert started == ["first.bin"]  # the first bytes went out before the second member was touched
    rest = list(chunks)
    assert len(rest) > 10 and max(len(chunk) for chunk in [first, *rest]) < 2 * 16 * 1024
    archive = zipfile.ZipFile(io.BytesIO(first + b"".join(rest)))
    assert archive.read("second.bin") == b"".join(noise)


def test_an_empty_member_list_is_a_valid_empty_archive():
    assert zipfile.ZipFile(io.BytesIO(b"".join(zip_stream([], modified=MODIFIED)))).namelist() == []
