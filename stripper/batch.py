"""The batch engine: documents or JSON Lines records in, cleaned records out in input order.

Inputs are read lazily (files, directories of files, standard input; gzip or plain), so
memory stays flat however long the stream. Work goes to worker processes in chunks, with
only a few chunks in flight. A record that cannot be cleaned (bad bytes, not JSON, too
large, too slow, a bug) comes out unchanged with the reason, and the run goes on.
"""

from __future__ import annotations

import gc
import gzip
import io
import json
import multiprocessing
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import chain, islice
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import BinaryIO

from stripper.config import Config, InputFormat
from stripper.document import Result
from stripper.inputs import decode
from stripper.pipeline import Stripper
from stripper.profiles import SiteProfiles, page_lines, site_of

STDIN = "<stdin>"
# Default guards: a longer text is passed through uncleaned, a slower document too.
MAX_CHARS = 10_000_000
TIMEOUT = 10.0
_GZIP_MAGIC = b"\x1f\x8b"
_READ_ERRORS = (OSError, EOFError, zlib.error)  # what a damaged file or gzip stream raises


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """How a batch runs; the guards bound what one record may cost in time and memory."""

    workers: int = os.cpu_count() or 1  # processes; 1 cleans in this process
    # JSON Lines: clean `field` of every record; else every file is one document.
    jsonl: bool = False
    field: str = "text"
    # Site profiles: a record's site is the registered domain of its `url_field`;
    # `site` overrides it, and is the site of every plain document.
    url_field: str = "url"
    site: str | None = None
    # Learn each record into the Config's profiles after cleaning it, so that later
    # records are cleaned with it: in this one process, in input order.
    learn: bool = False
    max_chars: int = MAX_CHARS  # a longer text is passed through flagged, not cleaned
    # A larger record (line or document) is not read into memory: copied through unread.
    max_record_bytes: int = 64 << 20
    timeout: float = TIMEOUT  # seconds one record may take; 0: no limit
    # Work travels to the workers in chunks of this many records or bytes, whichever first.
    chunk_records: int = 16
    chunk_bytes: int = 1 << 20


@dataclass(slots=True)
class Record:
    """One piece of work: a whole document, or one line of a JSON Lines stream."""

    source: str  # file name, or <stdin>
    line: int | None  # 1-based line of a JSONL record; None for a document
    data: bytes
    size: int  # input bytes it took (of the file on disk: compressed where gzip)


@dataclass(slots=True)
class Outcome:
    """What became of one record (or of an input that could not be read), in input order."""

    source: str
    line: int | None
    size: int
    # To write: a JSONL record's line (its line end left to the writer), or a failed
    # document's bytes as they came.
    output: bytes = b""
    result: Result | None = None  # a cleaned document (a JSONL record has its `output`)
    error: str | None = None  # why the record is not cleaned: it counts as a failure
    warning: str | None = None  # cleaned, with a caveat
    removed: int = 0  # characters cut
    spill: BinaryIO | None = None  # a record too large to hold: its bytes, to copy out

    @property
    def position(self) -> str:
        return self.source if self.line is None else f"{self.source}:{self.line}"

    @property
    def passed_through(self) -> bool:
        """A failed record whose input is still written out (an unreadable file has none)."""
        return self.error is not None and (bool(self.output) or self.spill is not None)


@dataclass(slots=True)
class Summary:
    """Totals of a run, for the line at its end and the exit code."""

    records: int = 0
    failures: int = 0
    removed: int = 0  # characters cut
    bytes_read: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, outcome: Outcome) -> None:
        self.records += 1
        self.failures += outcome.error is not None
        self.removed += outcome.removed
        self.bytes_read += outcome.size

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def __str__(self) -> str:
        errors = "1 error" if self.failures == 1 else f"{self.failures:,} errors"
        return (
            f"{self.records:,} records, {self.bytes_read / 1e6:,.1f} MB in {self.seconds:.1f} s; "
            f"{self.removed:,} characters removed; {errors}"
        )


class Batch:
    """Clean many records with one configuration: `run` yields an Outcome per record."""

    def __init__(self, config: Config, settings: BatchSettings) -> None:
        self.config = config
        self.settings = settings
        # Built here, so that a bad configuration (say a damaged model) fails before
        # any input is read; workers build their own from the same Config.
        self._cleaner = _Cleaner(config, settings)

    def run(self, paths: Sequence[Path], stdin: BinaryIO | None = None) -> Iterator[Outcome]:
        """Every record of `paths` (none or '-': `stdin`, default standard input), in order."""
        items: Iterable[Record | Outcome] = _read(paths, self.settings, stdin)
        if self.settings.workers > 1 and not self.settings.learn:
            chunks = _chunks(items, self.settings)
            head = list(islice(chunks, 2))
            if len(head) > 1:  # more than a chunk of work: worth starting processes
                yield from self._pooled(chain(head, chunks))
                return
            items = chain.from_iterable(head)
        for item in items:
            yield self._cleaner(item) if isinstance(item, Record) else item

    def _pooled(self, chunks: Iterator[list[Record | Outcome]]) -> Iterator[Outcome]:
        workers = _Workers(self.config, self.settings, self._cleaner)
        try:
            for chunk in chunks:
                workers.submit(chunk)
                # Bounded: the input is read no faster than results are taken.
                while len(workers.pending) >= 4 * self.settings.workers:
                    yield from workers.next()
            while workers.pending:
                yield from workers.next()
        finally:
            workers.stop()


@dataclass(slots=True)
class Learned:
    """What became of one record given to `learn`."""

    position: str
    site: str | None = None
    new: bool = False  # False: the page was learned before, or not learned (see error)
    error: str | None = None


def learn(
    profiles: SiteProfiles,
    paths: Sequence[Path],
    settings: BatchSettings,
    input_format: InputFormat = InputFormat.TEXT,
    stdin: BinaryIO | None = None,
) -> Iterator[Learned]:
    """Learn every record of `paths` (read as `run` reads them) into `profiles`, in order."""
    for item in _read(paths, settings, stdin):
        if isinstance(item, Outcome):
            if item.spill is not None:
                item.spill.close()
            yield Learned(item.position, error=item.error)
            continue
        position = Outcome(item.source, item.line, item.size).position
        page = _page(item, settings)
        if isinstance(page, str):
            yield Learned(position, error=page)
        elif page[1] is None:
            yield Learned(position, error="no site: give --site, or JSONL records with a URL")
        else:
            text, site = page
            new = profiles.learn(site, page_lines(text, input_format))
            yield Learned(position, site, new)


def _page(record: Record, settings: BatchSettings) -> tuple[str, str | None] | str:
    """A record's text and site, or why it has none."""
    if record.line is None:
        return decode(record.data)[0], settings.site
    data = _json_object(record)
    if isinstance(data, str):
        return data
    if not isinstance(data.get(settings.field), str):
        return f"field {settings.field!r} is missing or not a string"
    return data[settings.field], _site(data, settings)


def _site(data: dict, settings: BatchSettings) -> str | None:
    url = data.get(settings.url_field)
    return settings.site or (site_of(url) if isinstance(url, str) else None)


def input_bytes(paths: Sequence[Path]) -> int | None:
    """What the inputs hold on disk, for a progress bar; None when one is a stream."""
    total = 0
    for item in _inputs(paths):
        if item is None:
            return None
        if isinstance(item, Path):
            try:
                info = item.stat()
            except OSError:
                continue  # reported when it is read
            if not stat.S_ISREG(info.st_mode):
                return None
            total += info.st_size
    return total


# Reading


def _inputs(paths: Sequence[Path]) -> Iterator[Path | Outcome | None]:
    """Each input file in order, None for standard input; a directory gives its files."""
    for path in paths or [Path("-")]:
        if str(path) == "-":
            yield None
        elif path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(directory: Path) -> Iterator[Path | Outcome]:
    """The files below `directory` in sorted order. A link to a directory is not followed
    (it is reported when read as a file): no loops, and nothing is skipped unseen."""
    try:
        children = sorted(directory.iterdir())
    except OSError as exc:
        yield _unreadable(str(directory), exc)
        return
    for child in children:
        if child.is_dir() and not child.is_symlink():
            yield from _walk(child)
        else:
            yield child


def _unreadable(name: str, exc: OSError) -> Outcome:
    return Outcome(name, None, 0, error=f"cannot read ({exc.strerror or exc})")


def _read(
    paths: Sequence[Path], settings: BatchSettings, stdin: BinaryIO | None
) -> Iterator[Record | Outcome]:
    """Every record of every input, lazily: one file open at a time, one record read ahead."""
    for item in _inputs(paths):
        if isinstance(item, Outcome):
            yield item
            continue
        if item is None:
            name, opened = STDIN, nullcontext(stdin or sys.stdin.buffer)  # not ours to close
        else:
            name = str(item)
            try:
                opened = item.open("rb")
            except OSError as exc:
                yield _unreadable(name, exc)
                continue
        with opened as stream:
            yield from (_lines if settings.jsonl else _document)(name, stream, settings)


def _opened(name: str, stream: BinaryIO) -> tuple[BinaryIO, Callable[[], int] | None]:
    """The stream to read (gunzipped where it is gzip, by name or by its first bytes), and
    where the file stands on disk, for progress (None for a pipe)."""
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)  # type: ignore[arg-type]  # in-memory streams
    try:
        stream.tell()
        tell: Callable[[], int] | None = stream.tell
    except OSError:  # a pipe
        tell = None
    if name.endswith(".gz") or stream.peek(2)[:2] == _GZIP_MAGIC:  # type: ignore[attr-defined]
        return gzip.GzipFile(fileobj=stream, mode="rb"), tell  # type: ignore[return-value]
    return stream, tell


def _lines(name: str, stream: BinaryIO, settings: BatchSettings) -> Iterator[Record | Outcome]:
    limit = settings.max_record_bytes
    number = 0
    try:
        stream, tell = _opened(name, stream)
        where = tell() if tell else 0
        while line := stream.readline(limit + 1):
            number += 1
            spill = _spill(line, stream, whole=False) if len(line) > limit else None
            # A pipe has no position: the line's own length stands in.
            now = tell() if tell else where + len(line)
            size, where = now - where, now
            if spill is not None:
                yield _oversize(name, number, size, spill, limit)
            elif line.strip():  # blank lines are no records
                yield Record(name, number, line, size)
    except _READ_ERRORS as exc:  # a damaged gzip stream, a disk error: the rest is lost
        yield Outcome(name, number + 1, 0, error=f"cannot read further ({_why(exc)})")


def _document(name: str, stream: BinaryIO, settings: BatchSettings) -> Iterator[Record | Outcome]:
    limit = settings.max_record_bytes
    try:
        stream, tell = _opened(name, stream)
        data = stream.read(limit + 1)
        spill = _spill(data, stream, whole=True) if len(data) > limit else None
        size = tell() if tell else len(data)
    except _READ_ERRORS as exc:
        yield Outcome(name, None, 0, error=f"cannot read ({_why(exc)})")
        return
    if spill is not None:
        yield _oversize(name, None, size, spill, limit)
    else:
        yield Record(name, None, data, size)


def _why(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__


def _spill(head: bytes, stream: BinaryIO, whole: bool) -> BinaryIO:
    """`head` and the rest of its record (to the next newline, or to the end when `whole`)
    in a temporary file: a record too large for memory still comes out unchanged."""
    spill = tempfile.TemporaryFile()  # noqa: SIM115  # the caller copies it out and closes it
    spill.write(head)
    if whole:
        shutil.copyfileobj(stream, spill)
    else:
        while not head.endswith(b"\n") and (head := stream.readline(1 << 20)):
            spill.write(head)
    spill.seek(0)
    return spill  # type: ignore[return-value]


def _oversize(name: str, line: int | None, size: int, spill: BinaryIO, limit: int) -> Outcome:
    error = f"over {limit:,} bytes, too large to read"
    return Outcome(name, line, size, error=error, spill=spill)


def _chunks(
    items: Iterable[Record | Outcome], settings: BatchSettings
) -> Iterator[list[Record | Outcome]]:
    chunk: list[Record | Outcome] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += len(item.data) if isinstance(item, Record) else 0
        if len(chunk) >= settings.chunk_records or size >= settings.chunk_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


# Cleaning


class _Timeout(BaseException):
    """The time guard fired; a BaseException, so no `except Exception` on the way swallows it."""


def _raise_timeout(signum: int, frame: object) -> None:
    raise _Timeout


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` with _Timeout. An alarm signal works only in
    the main thread on Unix; elsewhere the block runs unguarded."""
    if (
        not seconds
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Cleaner:
    """Turns a Record into its Outcome; each worker process builds one, once."""

    def __init__(self, config: Config, settings: BatchSettings) -> None:
        # Learning writes to the profiles the stripper reads: one object, one cache.
        self.learning = (
            SiteProfiles(config.profiles, create=True)
            if settings.learn and config.profiles is not None
            else None
        )
        self.stripper = Stripper(config, self.learning)
        self.settings = settings

    def __call__(self, record: Record) -> Outcome:
        timeout = self.settings.timeout
        try:
            with _deadline(timeout):
                return self._document(record) if record.line is None else self._record(record)
        except _Timeout:
            return _flagged(record, f"took longer than {timeout:g} s")
        except Exception as exc:  # reported per record; the run goes on
            return _flagged(record, f"could not be cleaned ({type(exc).__name__}: {exc})")

    def _strip(self, text: str, site: str | None) -> Result | str:
        """The result, or why there is none: a text too long to clean. With `learn`,
        the page is learned after it is cleaned."""
        if len(text) > self.settings.max_chars:
            return f"{len(text):,} characters, over the limit of {self.settings.max_chars:,}"
        result = self.stripper.strip(text, site=site)
        if self.learning is not None and site is not None:
            self.learning.learn(site, [block.text for block in result.blocks])
        return result

    def _document(self, record: Record) -> Outcome:
        text, replaced = decode(record.data)
        result = self._strip(text, self.settings.site)
        if isinstance(result, str):
            outcome = _flagged(record, result)
        else:
            removed = _removed(result)
            outcome = Outcome(record.source, None, record.size, result=result, removed=removed)
        if replaced:
            outcome.warning = "invalid UTF-8, undecodable bytes replaced with U+FFFD"
        return outcome

    def _record(self, record: Record) -> Outcome:
        data = _json_object(record)
        if isinstance(data, str):
            return _flagged(record, data)
        field = self.settings.field
        if not isinstance(data.get(field), str):
            return _flagged(record, f"field {field!r} is missing or not a string", data)
        result = self._strip(data[field], _site(data, self.settings))
        if isinstance(result, str):
            return _flagged(record, result, data)
        data[field] = result.body
        data["stripper"] = {
            "title": result.title,
            "date": result.date,
            "removed": len(result.removed),
        }
        # The line says it all: the Result's blocks need not travel back from the worker.
        output, removed = _dumps(data, "strict"), _removed(result)
        return Outcome(record.source, record.line, record.size, output=output, removed=removed)


def _json_object(record: Record) -> dict | str:
    """A JSONL record's object, or why it is none."""
    try:
        line = record.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = record.data[exc.start]
        return f"invalid UTF-8 (byte 0x{bad:02x} at offset {exc.start})"
    try:
        data = json.loads(line.removeprefix("\ufeff"))  # the line end is JSON white space
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
        return f"not JSON ({reason})"
    return data if isinstance(data, dict) else "record is not a JSON object"


def _removed(result: Result) -> int:
    return sum(len(removal.text) for removal in result.removed)


def _flagged(record: Record, error: str, data: dict | None = None) -> Outcome:
    """The record passed through unchanged, with the reason; a JSON object (`data`, when
    it is parsed already) gets `"stripper": {"error": ...}` added."""
    outcome = Outcome(record.source, record.line, record.size, error=error)
    if record.line is None:
        outcome.output = record.data
        return outcome
    errors = "strict"
    if data is None:
        try:
            text = record.data.decode("utf-8")
        except UnicodeDecodeError:
            # Bad bytes ride along as surrogates and are written back as they were.
            text, errors = record.data.decode("utf-8", "surrogateescape"), "surrogateescape"
        try:
            parsed = json.loads(text.removeprefix("\ufeff"))
        except (ValueError, RecursionError):
            parsed = None
        data = parsed if isinstance(parsed, dict) else None
    if data is None:
        outcome.output = record.data.rstrip(b"\r\n")
    else:
        data["stripper"] = {"error": error}
        outcome.output = _dumps(data, errors)
    return outcome


def _dumps(record: dict, errors: str) -> bytes:
    try:
        return json.dumps(record, ensure_ascii=False).encode("utf-8", errors)
    except UnicodeEncodeError:  # a lone surrogate from a \ud800 escape: keep it escaped
        return json.dumps(record).encode("ascii")


# Worker processes

_WORKER_CLEANER: _Cleaner | None = None


def _start_worker(config: Config, settings: BatchSettings) -> None:
    global _WORKER_CLEANER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it ends the pool
    if _WORKER_CLEANER is None:  # not forked with the parent's (see _Workers._start)
        _WORKER_CLEANER = _Cleaner(config, settings)


def _clean_chunk(records: list[Record]) -> list[Outcome]:
    cleaner = _WORKER_CLEANER
    if cleaner is None:  # only _start_worker's pool calls this
        raise RuntimeError("worker not started")
    return [cleaner(record) for record in records]


class _Workers:
    """A process pool cleaning chunks, handed back in the order they were submitted.

    A worker's alarm interrupts a slow record; one stuck where no signal reaches it (deep
    in C code) or killed (out of memory) would hold its chunk forever. So a chunk that is
    not back in time restarts the pool and is retried a record at a time, and the record
    that fails alone is passed through flagged.
    """

    def __init__(self, config: Config, settings: BatchSettings, cleaner: _Cleaner) -> None:
        self.config = config
        self.settings = settings
        self.cleaner = cleaner
        self.pool = self._start()
        self.pending: deque[tuple[list[Record | Outcome], AsyncResult]] = deque()

    def _start(self) -> Pool:
        global _WORKER_CLEANER
        # Workers forked now inherit the parent's cleaner, its model and rules shared
        # copy-on-write: no second copy in each, nor time to load it. Not one holding
        # a profiles store: an SQLite connection must not cross a fork. Spawned
        # workers (other platforms) and later forks build their own.
        shared = self.config.profiles is None
        # Frozen, the shared objects are not touched (so copied) by the collector; not
        # when the caller froze objects, whose unfreezing would be ours to undo.
        freeze = shared and gc.get_freeze_count() == 0
        if shared:
            _WORKER_CLEANER = self.cleaner
        if freeze:
            gc.freeze()
        try:
            return multiprocessing.Pool(
                self.settings.workers, _start_worker, (self.config, self.settings)
            )
        finally:
            _WORKER_CLEANER = None
            if freeze:
                gc.unfreeze()

    def _send(self, chunk: list[Record | Outcome]) -> AsyncResult:
        records = [item for item in chunk if isinstance(item, Record)]
        return self.pool.apply_async(_clean_chunk, (records,))

    def submit(self, chunk: list[Record | Outcome]) -> None:
        self.pending.append((chunk, self._send(chunk)))

    def next(self) -> list[Outcome]:
        """The oldest chunk's outcomes; none when it had to be split up for a retry."""
        chunk, job = self.pending[0]
        records = sum(isinstance(item, Record) for item in chunk)
        # Its records' time guards, plus time to read and write big records.
        patience = records * self.settings.timeout + 5 if self.settings.timeout else None
        try:
            cleaned = iter(job.get(patience))
        except multiprocessing.TimeoutError:
            return self._retry()
        self.pending.popleft()
        return [next(cleaned) if isinstance(item, Record) else item for item in chunk]

    def _retry(self) -> list[Outcome]:
        chunk, _ = self.pending.popleft()
        self.pool.terminate()
        self.pool = self._start()
        later = [(c, job) for c, job in self.pending]
        outcomes: list[Outcome] = []
        if sum(isinstance(item, Record) for item in chunk) > 1:
            later[:0] = [([item], None) for item in chunk]
        else:
            lost = "the worker cleaning it died or hung"
            outcomes = [
                _flagged(item, lost) if isinstance(item, Record) else item for item in chunk
            ]
        # Finished chunks keep their results; the others start again in the new pool.
        self.pending = deque(
            (c, job if job is not None and job.ready() else self._send(c)) for c, job in later
        )
        return outcomes

    def stop(self) -> None:
        self.pool.terminate()
