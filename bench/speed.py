"""Speed benchmark: docs/s, MB/s and peak RSS of stripper and its peers on corpus pages.

Run from the repository root (see bench/README.md)::

    python -m bench.speed                          # 300 pages, 3 repeats, 1 and all workers
    python -m bench.speed --limit 100 --repeats 1  # quicker
    python -m bench.speed --rounds 3               # every system three times in turn
    python -m bench.speed --memory                 # peak RSS of the CLI as its input grows

Every system runs in a fresh Python process of its own, so its peak RSS is its own: the process
loads the sample (only the input its mode needs), builds the system, runs it on a few warm-up
pages (not timed), then times ``--repeats`` passes over the sample; the median pass counts.
`text` mode's input is ``html_text.extract_text(html, guess_layout=True)``, rendered once
and cached in bench/.cache/, so rendering is not timed; `html` mode's input is the page HTML.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import multiprocessing
import os
import pickle
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import cycle
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script (python bench/speed.py): make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.quality import (
    CACHE_DIR,
    REPO_ROOT,
    CorpusPlan,
    ExtractCache,
    _rate,
    _table,
    _versions,
    add_corpus_arguments,
    command_and_versions,
    corpus_plans,
    justext_on_html,
    justext_on_text,
    justext_stoplist,
    justext_stoplist_name,
    make_c4,
    page_text,
    read_corpus,
    trafilatura_extract,
)

# (system, mode) in table order; stripper's rows are also run with --workers processes.
SYSTEMS: tuple[tuple[str, str], ...] = (
    ("justext", "text"),
    ("c4", "text"),
    ("stripper", "text"),
    ("trafilatura", "html"),
    ("justext", "html"),
    ("stripper", "html"),
)
PARALLEL = frozenset({"stripper"})
# One process, from the issue: the figures the targets were set against.
REFERENCE_DOCS_PER_S = {
    ("justext", "text"): 75.0,
    ("c4", "text"): 46.0,
    ("trafilatura", "html"): 25.0,
}
TEXT_VS_JUSTEXT = 10.0  # text mode: at least this many times jusText's docs/s on the same text
HTML_VS_TRAFILATURA = 1.0  # html mode: no slower than trafilatura alone
SCALING_PER_WORKER = 0.9  # N workers: at least 0.9 * N times one worker (1.8x for 2)
RSS_FLAT = 1.2  # --memory: peak RSS at the largest input at most this many times the smallest's
MAX_TREE_MB = 300  # --memory: the whole process tree at the largest input, MiB
MB = 1e6  # throughput: 10^6 input bytes (UTF-8) a second; RSS is in MiB


# --------------------------------------------------------------------------- sample


class PageTextCache(ExtractCache):
    """page_text(html) per corpus and record id: quality.py's cache layout, keyed by html-text."""

    def __init__(self, root: Path) -> None:
        from importlib.metadata import version

        self.dir = root / f"html-text-{version('html-text')}"


@dataclass
class Page:
    corpus: str
    id: str
    lang: str | None
    html: str
    text: str = ""


def sample_pages(plans: list[CorpusPlan], limit: int) -> list[Page]:
    """Up to ``limit`` pages, taken from the corpora in turn (the pages quality.py scores)."""
    readers = {plan.name: read_corpus(plan, None) for plan in plans}
    pages: list[Page] = []
    while readers and len(pages) < limit:
        for name, reader in list(readers.items()):
            item = next(reader, None)
            if item is None:
                del readers[name]
                continue
            rec = item[1]
            pages.append(Page(name, rec["id"], rec.get("lang"), rec["html"]))
            if len(pages) >= limit:
                break
    for reader in readers.values():
        reader.close()
    return pages


def render_text(pages: list[Page], use_cache: bool) -> int:
    """Fill in each page's text from the cache, rendering (and caching) the missing ones."""
    cache = PageTextCache(CACHE_DIR) if use_cache else None
    known = {corpus: cache.load(corpus) for corpus in {p.corpus for p in pages}} if cache else {}
    rendered = 0
    for page in pages:
        text = known.get(page.corpus, {}).get(page.id)
        if text is None:
            try:
                text = page_text(page.html)
            except Exception as exc:  # as quality.py: a failed rendering is an empty input
                print(f"  page text failed for {page.corpus} {page.id}: {exc}", file=sys.stderr)
                text = ""
            else:
                if cache is not None:
                    cache.append(page.corpus, {"id": page.id, "text": text})
            rendered += 1
        page.text = text
    return rendered


# --------------------------------------------------------------------------- systems


Fn = Callable[[str, str | None], str]  # (document, language) -> output


class Unavailable(Exception):
    pass


def build(spec: dict[str, Any]) -> Fn:
    """The system of ``spec`` as quality.py runs it, built in the calling process."""
    system, mode = spec["system"], spec["mode"]
    if system == "stripper":
        from stripper import Config, InputFormat, Stripper

        options: dict[str, Any] = {}  # only what was asked for: any Config version will do
        if spec.get("no_model"):
            options["use_model"] = False
        if spec.get("model"):
            options["model_path"] = Path(spec["model"])
        fmt = InputFormat.HTML if mode == "html" else InputFormat.TEXT
        stripper = Stripper(Config(input_format=fmt, **options))
        return lambda doc, lang: stripper.strip(doc).body
    if system == "justext":
        run = justext_on_html if mode == "html" else justext_on_text
        setting = spec.get("stoplist", "lang")
        return lambda doc, lang: run(doc, justext_stoplist(justext_stoplist_name(setting, lang)))
    if system == "c4":
        c4 = make_c4()
        if c4 is None:
            raise Unavailable("datatrove is not installed (pip install -e '.[bench]')")
        return lambda doc, lang: c4(doc)
    if system == "trafilatura":
        return lambda doc, lang: trafilatura_extract(doc)
    raise ValueError(f"unknown system {system!r}")


def apply(fn: Fn, item: tuple[str | None, str]) -> tuple[str, bool]:
    """Output and whether the call raised (a page that fails must not end the run)."""
    lang, doc = item
    try:
        return fn(doc, lang) or "", False
    except Exception:
        return "", True


# --------------------------------------------------------------------------- child process


def _proc_kb(pid: int | str, name: str, key: str) -> int:
    """A ``key: N kB`` line of /proc/PID/NAME in KiB (0 where /proc is missing)."""
    try:
        text = Path(f"/proc/{pid}/{name}").read_text()
    except OSError:
        return 0
    m = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
    return int(m.group(1)) if m else 0


def _status_kb(pid: int | str, key: str) -> int:
    """A ``Vm*`` line of /proc/PID/status in KiB."""
    return _proc_kb(pid, "status", key)


def _pss_kb(pid: int) -> int:
    """Proportional set size in KiB: pages shared with other processes (a forked
    worker's copy of its parent's modules) count as a share, not whole, in each."""
    return _proc_kb(pid, "smaps_rollup", "Pss")


def _maxrss_kb(who: int = resource.RUSAGE_SELF) -> int:
    kb = resource.getrusage(who).ru_maxrss
    return kb // 1024 if sys.platform == "darwin" else kb  # bytes on macOS


def _tree_cpu_s() -> float:
    """CPU seconds of this process and its live child processes (the pool's workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = time.process_time()
    for proc in multiprocessing.active_children():
        try:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


_FN: Fn | None = None


def _init_pool_worker(spec: dict[str, Any], warmup: list, barrier: Any, errors: Any) -> None:
    global _FN
    try:
        _FN = build(spec)
    except Exception as exc:  # tell the parent instead of failing (the pool would respawn us)
        errors.put(f"{type(exc).__name__}: {exc}"[:300])
        barrier.abort()
        return
    for item in warmup:
        apply(_FN, item)
    barrier.wait()  # the parent starts the clock once every worker is built and warm


def _pool_apply(item: tuple[str | None, str]) -> tuple[str, bool]:
    assert _FN is not None
    return apply(_FN, item)


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """Measure one system with ``spec["workers"]`` processes; runs in a fresh interpreter."""
    with open(spec["input"], "rb") as f:
        items: list[tuple[str | None, str]] = pickle.load(f)
    base_kb = _status_kb("self", "VmRSS") or _maxrss_kb()
    warmup = items[: spec["warmup"]]
    workers = spec["workers"]
    times: list[float] = []
    cpu: list[float] = []
    outputs: list[tuple[str, bool]] = []
    started = time.perf_counter()
    try:
        if workers <= 1:
            fn = build(spec)
            build_s = time.perf_counter() - started
            for item in warmup:
                apply(fn, item)
            for _ in range(spec["repeats"]):
                t0, c0 = time.perf_counter(), time.process_time()
                outputs = [apply(fn, item) for item in items]
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
        else:
            ctx = multiprocessing.get_context("fork")
            barrier, errors = ctx.Barrier(workers + 1), ctx.SimpleQueue()
            pool = ctx.Pool(workers, _init_pool_worker, (spec, warmup, barrier, errors))
            try:
                try:
                    barrier.wait(timeout=min(spec["timeout"], 600))
                except threading.BrokenBarrierError:
                    raise RuntimeError(
                        errors.get() if not errors.empty() else "pool workers did not start"
                    ) from None
                build_s = time.perf_counter() - started
                for _ in range(spec["repeats"]):
                    t0, c0 = time.perf_counter(), _tree_cpu_s()
                    outputs = list(pool.imap(_pool_apply, items, chunksize=spec["chunksize"]))
                    times.append(time.perf_counter() - t0)
                    cpu.append(_tree_cpu_s() - c0)
                pool.close()
            except BaseException:
                pool.terminate()
                raise
            finally:
                pool.join()
    except Unavailable as exc:
        return {"unavailable": str(exc)}
    digest = hashlib.sha1()
    for out, _ in outputs:
        digest.update(out.encode("utf-8", "surrogatepass") + b"\0")
    self_kb = _status_kb("self", "VmHWM") or _maxrss_kb()
    return {
        "docs": len(items),
        "bytes": sum(len(doc.encode("utf-8", "surrogatepass")) for _, doc in items),
        "times": times,
        "cpu": cpu,
        "build_s": build_s,
        "errors": sum(err for _, err in outputs),
        "digest": digest.hexdigest(),
        "base_kb": base_kb,
        "self_peak_kb": self_kb,
        # Reaped pool workers: the largest one's peak (0 with one worker).
        "worker_peak_kb": _maxrss_kb(resource.RUSAGE_CHILDREN) if workers > 1 else 0,
    }


# --------------------------------------------------------------------------- speed run


@dataclass
class Row:
    system: str
    mode: str
    workers: int
    result: dict[str, Any]

    @property
    def ok(self) -> bool:
        return "times" in self.result

    @property
    def seconds(self) -> float:
        return statistics.median(self.result["times"])

    @property
    def docs_per_s(self) -> float:
        return self.result["docs"] / self.seconds if self.seconds > 0 else float("inf")

    @property
    def mb_per_s(self) -> float:
        return self.result["bytes"] / MB / self.seconds if self.seconds > 0 else float("inf")

    @property
    def cpu_docs_per_s(self) -> float | None:
        """Pages per CPU second (with N workers, theirs and the parent's): less skewed by load."""
        cpu = statistics.median(self.result["cpu"]) if self.result["cpu"] else 0.0
        return self.result["docs"] / cpu if cpu > 0 else None

    @property
    def peak_kb(self) -> int:
        """The largest process: the system's own process, or with N workers the largest worker."""
        return max(self.result["self_peak_kb"], self.result["worker_peak_kb"])


def run_child(spec: dict[str, Any], workdir: Path) -> dict[str, Any]:
    out = workdir / "result.json"
    out.unlink(missing_ok=True)
    spec = {**spec, "out": str(out)}
    cmd = [sys.executable, "-m", "bench.speed", "--child", json.dumps(spec)]
    try:
        proc = subprocess.run(
            cmd,
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=spec["timeout"],
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"failed": f"timed out after {spec['timeout']:.0f} s"}
    if proc.returncode != 0 or not out.is_file():
        tail = (proc.stderr or "").strip().splitlines()[-1:] or ["no output"]
        return {"failed": f"exit {proc.returncode}: {tail[0][:200]}"}
    return json.loads(out.read_text(encoding="utf-8"))


def speed_runs(args: argparse.Namespace, pages: list[Page], workdir: Path) -> list[Row]:
    inputs = {}
    for mode in ("text", "html"):
        path = workdir / f"{mode}.pickle"
        with path.open("wb") as f:
            pickle.dump([(p.lang, getattr(p, mode)) for p in pages], f, pickle.HIGHEST_PROTOCOL)
        inputs[mode] = str(path)
    chunksize = args.chunksize or max(1, min(8, len(pages) // (args.workers * 16)))
    runs = [
        (system, mode, workers)
        for system, mode in SYSTEMS
        if system in args.systems and mode in args.modes
        for workers in (sorted({1, args.workers}) if system in PARALLEL else (1,))
    ]
    rows: dict[tuple[str, str, int], Row] = {}
    # Each round runs every system once: this machine's speed drifts over minutes, and
    # rounds spread every system's passes over the whole run.
    for _ in range(args.rounds):
        for system, mode, workers in runs:
            spec = {
                "system": system,
                "mode": mode,
                "workers": workers,
                "input": inputs[mode],
                "repeats": args.repeats,
                "warmup": args.warmup,
                "chunksize": chunksize,
                "stoplist": args.justext_stoplist,
                "no_model": args.no_model,
                "model": str(args.model) if args.model else None,
                "timeout": args.timeout,
            }
            started = time.perf_counter()
            row = Row(system, mode, workers, run_child(spec, workdir))
            took = time.perf_counter() - started
            rate = f"{row.docs_per_s:.1f} docs/s" if row.ok else next(iter(row.result.values()))
            print(f"  {system} {mode} x{workers}: {rate} ({took:.0f} s)", file=sys.stderr)
            rows[system, mode, workers] = _merged(rows.get((system, mode, workers)), row)
    return list(rows.values())


def _merged(earlier: Row | None, row: Row) -> Row:
    """One row for a system over the rounds: every timed pass, the highest peaks."""
    if earlier is None or not earlier.ok:
        return row
    if not row.ok:
        return earlier
    result = dict(earlier.result)
    for key in ("times", "cpu"):
        result[key] = earlier.result[key] + row.result[key]
    for key in ("self_peak_kb", "worker_peak_kb"):
        result[key] = max(earlier.result[key], row.result[key])
    return Row(row.system, row.mode, row.workers, result)


def _find(rows: list[Row], system: str, mode: str, workers: int = 1) -> Row | None:
    return next(
        (r for r in rows if (r.system, r.mode, r.workers) == (system, mode, workers) and r.ok),
        None,
    )


def _size(mb: float) -> str:
    return f"{mb:.0f}" if mb >= 10 else f"{mb:.1f}"


def _mib(kb: int) -> str:
    return f"{kb / 1024:.0f}"


def _verdict(t: dict[str, Any]) -> str:
    if t["met"] is None:
        return t.get("note", "n/a")
    return "met" if t["met"] else "**missed**"


def render_speed(rows: list[Row], workers: int) -> tuple[list[str], list[dict[str, Any]]]:
    lines = ["### Throughput and memory", ""]
    table = []
    for r in rows:
        if not r.ok:
            continue
        jt = _find(rows, "justext", r.mode)
        one = _find(rows, r.system, r.mode)
        ref = REFERENCE_DOCS_PER_S.get((r.system, r.mode)) if r.workers == 1 else None
        table.append(
            [
                r.system,
                r.mode,
                str(r.workers),
                _rate(r.docs_per_s),
                _rate(r.cpu_docs_per_s),
                f"{r.mb_per_s:.2f}",
                _mib(r.peak_kb),
                _mib(r.peak_kb - r.result["base_kb"]),
                f"{r.docs_per_s / jt.docs_per_s:.1f}x" if jt else "n/a",
                f"{r.docs_per_s / one.docs_per_s:.2f}x" if one and r.workers > 1 else "",
                "" if ref is None else _rate(ref),
                str(r.result["errors"]),
            ]
        )
    header = [
        "system",
        "mode",
        "workers",
        "docs/s",
        "docs/CPU s",
        "MB/s",
        "peak RSS MB",
        "over base MB",
        "vs jusText",
        "vs 1 worker",
        "reference docs/s",
        "errors",
    ]
    lines += [*_table(header, table, right_from=2), ""] if table else ["(none: see the notes)", ""]

    targets: list[dict[str, Any]] = []

    def target(name: str, value: float | None, goal: float) -> None:
        targets.append(
            {
                "target": name,
                "value": value,
                "goal": goal,
                "met": None if value is None else value >= goal,
            }
        )

    text, jt_text = _find(rows, "stripper", "text"), _find(rows, "justext", "text")
    html, traf = _find(rows, "stripper", "html"), _find(rows, "trafilatura", "html")
    target(
        "text mode vs jusText on the same text (docs/s)",
        text.docs_per_s / jt_text.docs_per_s if text and jt_text else None,
        TEXT_VS_JUSTEXT,
    )
    target(
        "html mode vs trafilatura (docs/s)",
        html.docs_per_s / traf.docs_per_s if html and traf else None,
        HTML_VS_TRAFILATURA,
    )
    if workers > 1:
        for mode in ("text", "html"):
            one, many = _find(rows, "stripper", mode), _find(rows, "stripper", mode, workers)
            target(
                f"{mode} mode, {workers} workers vs 1 (docs/s)",
                many.docs_per_s / one.docs_per_s if one and many else None,
                SCALING_PER_WORKER * workers,
            )
    targets.append(
        {
            "target": "peak RSS flat as the input grows (largest vs smallest input)",
            "value": None,
            "goal": RSS_FLAT,
            "met": None,
            "note": "see --memory",
        }
    )
    return lines, targets


def _with_unit(value: float, unit: str) -> str:
    return f"{value:.2f}x" if unit == "x" else f"{value:.0f} {unit}"


def render_targets(targets: list[dict[str, Any]]) -> list[str]:
    rows = [
        [
            t["target"],
            "n/a" if t["value"] is None else _with_unit(t["value"], t.get("unit", "x")),
            _with_unit(t["goal"], t.get("unit", "x")),
            _verdict(t),
        ]
        for t in targets
    ]
    if not rows:
        return []
    return ["### Targets", "", *_table(["target", "measured", "goal", ""], rows, right_from=1), ""]


def speed_notes(rows: list[Row]) -> list[str]:
    notes = []
    for r in rows:
        if not r.ok:
            why = r.result.get("unavailable") or r.result.get("failed")
            notes.append(f"- {r.system} {r.mode} x{r.workers} not measured: {why}")
        elif (
            r.workers > 1
            and (one := _find(rows, r.system, r.mode))
            and one.result["digest"] != r.result["digest"]
        ):
            notes.append(
                f"- {r.system} {r.mode}: the output with {r.workers} workers differs from "
                "the output with one (order or content)"
            )
    return notes


# --------------------------------------------------------------------------- memory run


def cli_options() -> set[str]:
    """The long options `python -m stripper --help` lists."""
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}
    proc = subprocess.run(
        [sys.executable, "-m", "stripper", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )
    return set(re.findall(r"--[a-z][a-z-]*", proc.stdout + proc.stderr))


def write_jsonl(path: Path, pages: list[Page], size_mb: float) -> tuple[int, int]:
    """A JSON Lines file of ``{"id", "text"}`` records of at least ``size_mb`` MB, repeating the
    pages (a distinct id per copy); returns the records and bytes written."""
    texts = [p for p in pages if p.text.strip()]
    records = written = 0
    with path.open("wb") as f:
        for n, page in enumerate(cycle(texts)):
            if written >= size_mb * MB:
                break
            record = {"id": f"{n // len(texts)}/{page.corpus}/{page.id}", "text": page.text}
            line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass")
            f.write(line)
            records += 1
            written += len(line)
    return records, written


def _tree(pid: int) -> Iterator[int]:
    """pid and its descendants, from /proc/PID/task/TID/children."""
    stack = [pid]
    while stack:
        p = stack.pop()
        yield p
        try:
            tids = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for tid in tids:
            with contextlib.suppress(OSError):
                stack += map(int, Path(f"/proc/{p}/task/{tid}/children").read_text().split())


def run_measured(cmd: list[str], stderr_path: Path, poll_s: float = 0.05) -> dict[str, Any]:
    """Run cmd (stdout to /dev/null); its wall time, exit code, the largest process's peak RSS
    (wait4) and the peak of the summed RSS of its process tree (polled)."""
    tree_peak = tree_pss_peak = 0
    with stderr_path.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=REPO_ROOT)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            tree = list(_tree(proc.pid))
            tree_peak = max(tree_peak, sum(_status_kb(p, "VmRSS") for p in tree))
            tree_pss_peak = max(tree_pss_peak, sum(map(_pss_kb, tree)))
            time.sleep(poll_s)
        elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait
    return {
        "seconds": elapsed,
        "exit": proc.returncode,
        # wait4: max over the process and the descendants it reaped.
        "max_process_kb": usage.ru_maxrss,
        "tree_peak_kb": max(tree_peak, usage.ru_maxrss),
        "tree_pss_peak_kb": tree_pss_peak,
    }


def memory_runs(args: argparse.Namespace, pages: list[Page], workdir: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "stripper", "--jsonl", "--field", "text"]
    known = cli_options()  # the CLI is changing: pass only the options it has
    has_workers = "--workers" in known
    if has_workers:
        cmd += ["--workers", str(args.workers)]
    if "--quiet" in known:
        cmd.append("--quiet")
    if args.no_model:
        cmd.append("--no-model")
    if args.model:
        cmd += ["--model", str(args.model)]
    runs = []
    for size in args.memory_sizes:
        path = workdir / f"stream-{size:g}MB.jsonl"
        records, written = write_jsonl(path, pages, size)
        print(f"  CLI on {written / MB:.0f} MB ({records} records) ...", file=sys.stderr)
        res = run_measured([*cmd, str(path)], workdir / "cli.stderr")
        err_lines = (workdir / "cli.stderr").read_text(errors="replace").splitlines()
        path.unlink()
        res.update(size_mb=written / MB, records=records, stderr_tail=err_lines[-3:])
        print(
            f"    {res['seconds']:.0f} s, peak {res['tree_peak_kb'] / 1024:.0f} MiB, "
            f"exit {res['exit']}",
            file=sys.stderr,
        )
        runs.append(res)
    shown = ["python -m stripper", *cmd[3:], "FILE"]
    return {"command": " ".join(shown), "workers_option": has_workers, "runs": runs}


def render_memory(memory: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    runs = memory["runs"]
    rows = [
        [
            _size(r["size_mb"]),
            str(r["records"]),
            f"{r['seconds']:.1f}",
            _rate(r["records"] / r["seconds"]),
            f"{r['size_mb'] / r['seconds']:.2f}",
            _mib(r["tree_peak_kb"]),
            _mib(r["tree_pss_peak_kb"]),
            _mib(r["max_process_kb"]),
            str(r["exit"]),
        ]
        for r in runs
    ]
    header = [
        "input MB",
        "records",
        "seconds",
        "docs/s",
        "MB/s",
        "peak RSS MB (tree)",
        "peak PSS MB (tree)",
        "largest process MB",
        "exit",
    ]
    lines = [
        f"### Memory: `{memory['command']}` > /dev/null",
        "",
        *_table(header, rows, right_from=0),
        "",
    ]
    targets = []
    if len(runs) >= 2:
        ratio = runs[-1]["tree_peak_kb"] / max(runs[0]["tree_peak_kb"], 1)
        targets.append(
            {
                "target": f"peak RSS flat: {_size(runs[-1]['size_mb'])} MB vs "
                f"{_size(runs[0]['size_mb'])} MB input (at most)",
                "value": ratio,
                "goal": RSS_FLAT,
                "met": ratio <= RSS_FLAT,
            }
        )
    largest = runs[-1]
    for measure, key in (("RSS", "tree_peak_kb"), ("PSS", "tree_pss_peak_kb")):
        mb = largest[key] / 1024
        targets.append(
            {
                "target": f"peak {measure} of the tree at {_size(largest['size_mb'])} MB input"
                " (at most)",
                "value": mb,
                "goal": MAX_TREE_MB,
                "unit": "MiB",
                "met": mb <= MAX_TREE_MB,
            }
        )
    return lines, targets


# --------------------------------------------------------------------------- main


def _comma_list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_corpus_arguments(ap)
    ap.add_argument(
        "--limit",
        type=int,
        default=300,
        help="pages in the sample, taken from the corpora in turn (default 300)",
    )
    ap.add_argument("--modes", default="text,html", help="comma list of text, html (default: both)")
    ap.add_argument(
        "--systems",
        default=",".join(dict.fromkeys(s for s, _ in SYSTEMS)),
        help="comma list of stripper, justext, c4, trafilatura (default: all)",
    )
    ap.add_argument("--repeats", type=int, default=3, help="timed passes; the median counts")
    ap.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run every system this many times in turn; the median of all their passes counts",
    )
    ap.add_argument("--warmup", type=int, default=5, help="untimed pages first (default 5)")
    ap.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes for stripper's second row and the CLI (default: all CPUs)",
    )
    ap.add_argument(
        "--chunksize", type=int, default=0, help="pages per worker task (default: automatic)"
    )
    ap.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds one system's process may take"
    )
    ap.add_argument(
        "--justext-stoplist",
        default="lang",
        help="jusText stoplist: 'lang' (the page's language, English when jusText "
        "has none) or a stoplist name such as English",
    )
    ap.add_argument(
        "--memory",
        action="store_true",
        help="instead of the speed tables: peak RSS of the CLI over growing JSONL inputs",
    )
    ap.add_argument(
        "--memory-sizes",
        default="50,200",
        help="with --memory: input sizes in MB, comma list (default 50,200; add 1000 for 1 GB)",
    )
    ap.add_argument(
        "--tmp", type=Path, default=None, help="directory for the sample and the JSONL inputs"
    )
    ap.add_argument(
        "--no-model", action="store_true", help="stripper without its learned model (rules only)"
    )
    ap.add_argument("--model", type=Path, default=None, help="stripper with this model file")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the page-text cache in bench/.cache/",
    )
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.corpus = [c for arg in args.corpus for c in _comma_list(arg)]
    args.modes = _comma_list(args.modes)
    args.systems = _comma_list(args.systems)
    known_systems = {s for s, _ in SYSTEMS}
    if not args.modes or set(args.modes) - {"text", "html"}:
        ap.error("--modes: a comma list of text, html")
    if not args.systems or set(args.systems) - known_systems:
        ap.error(f"--systems: a comma list of {', '.join(sorted(known_systems))}")
    try:
        args.memory_sizes = sorted(float(s) for s in _comma_list(args.memory_sizes))
    except ValueError:
        ap.error("--memory-sizes: a comma list of numbers (MB)")
    if min(args.limit, args.repeats, args.rounds, args.workers) < 1 or args.warmup < 0:
        ap.error(
            "--limit, --repeats, --rounds and --workers must be positive, --warmup not negative"
        )
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child is not None:
        spec = json.loads(args.child)
        result = child(spec)
        Path(spec["out"]).write_text(json.dumps(result), encoding="utf-8")
        return 0
    plans = corpus_plans(args.corpora, args.corpus)
    if isinstance(plans, str):
        print(plans, file=sys.stderr)
        return 2

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    started = time.perf_counter()
    pages = sample_pages(plans, args.limit)
    if not pages:
        print("no pages with HTML in the chosen corpora", file=sys.stderr)
        return 2
    rendered = render_text(pages, use_cache=not args.no_cache)
    print(f"  {len(pages)} pages ({rendered} rendered to text)", file=sys.stderr)

    body: list[str] = []
    targets: list[dict[str, Any]] = []
    notes: list[str] = []
    result: dict[str, Any] = {}
    if args.tmp:
        Path(args.tmp).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="stripper-speed-", dir=args.tmp) as tmp:
        if args.memory:
            memory = memory_runs(args, pages, Path(tmp))
            lines, targets = render_memory(memory)
            body += lines
            result["memory"] = memory
            if not memory["workers_option"]:
                notes.append("- the CLI has no --workers option: one process")
            notes += [
                f"- {_size(r['size_mb'])} MB: the CLI exited {r['exit']}: "
                + " / ".join(r["stderr_tail"])
                for r in memory["runs"]
                if r["exit"] != 0
            ]
        else:
            rows = speed_runs(args, pages, Path(tmp))
            lines, targets = render_speed(rows, args.workers)
            body += lines
            notes += speed_notes(rows)
            result["speed"] = [
                {
                    "system": r.system,
                    "mode": r.mode,
                    "workers": r.workers,
                    **(
                        {
                            "docs_per_s": r.docs_per_s,
                            "mb_per_s": r.mb_per_s,
                            "peak_rss_mib": r.peak_kb / 1024,
                        }
                        if r.ok
                        else {}
                    ),
                    **r.result,
                }
                for r in rows
            ]
    elapsed = time.perf_counter() - started

    text_mb = sum(len(p.text.encode("utf-8", "surrogatepass")) for p in pages) / MB
    html_mb = sum(len(p.html.encode("utf-8", "surrogatepass")) for p in pages) / MB
    corpora = ", ".join(
        f"{c} {sum(p.corpus == c for p in pages)}" for c in dict.fromkeys(p.corpus for p in pages)
    )
    versions = _versions()
    out = [
        f"Speed benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {elapsed:.0f} s wall, "
        f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}.",
        "",
        *command_and_versions("bench.speed", argv, versions),
        f"Pages: {len(pages)} ({corpora}); html {html_mb:.1f} MB, page text {text_mb:.1f} MB.",
        "",
        "stripper: "
        + (
            "rules only (`--no-model`)"
            if args.no_model
            else f"model {args.model}"
            if args.model
            else "`Config()` defaults"
        )
        + ".",
        "",
    ]
    if not args.memory:
        out += [
            f"docs/s and MB/s (10^6 input bytes): median of {args.repeats} timed pass(es), wall "
            f"clock, after {args.warmup} warm-up page(s); each system in a fresh process"
            + (
                f", {args.rounds} rounds (every system in turn, then again): the median "
                f"of all {args.rounds * args.repeats} passes. "
                if args.rounds > 1
                else ". "
            )
            + "peak RSS: that process's peak (VmHWM), with N workers the largest worker's; "
            "over base: minus the RSS after loading the inputs, before building the system. "
            "vs jusText: against jusText (1 worker) on the same input. reference: the issue's "
            "figures (one process). docs/CPU s: pages per CPU second (as quality.py counts; "
            "with N workers, the CPU of the workers and the parent), less skewed by other load. "
            "errors: pages where the system raised.",
            "",
        ]
    else:
        out += [
            "peak RSS (tree): the largest sum of VmRSS over the CLI and its child processes "
            "(polled every 50 ms); largest process: wait4's ru_maxrss. docs/s and MB/s include "
            "interpreter start-up and JSON decoding.",
            "",
        ]
    out += body + render_targets(targets)
    if load_before > 0.4 * (os.cpu_count() or 1):
        notes.append(
            f"- the load average was {load_before:.1f} before the run ({os.cpu_count()} CPUs): "
            "other processes were busy, so wall-clock rates and worker speed-ups read low"
        )
    if notes:
        out += ["Notes:", "", *notes, ""]
    print("\n".join(out))
    if args.json is not None:
        meta = {
            "elapsed_s": elapsed,
            "workers": args.workers,
            "repeats": args.repeats,
            "rounds": args.rounds,
            "no_model": args.no_model,
            "model": str(args.model) if args.model else None,
            "load_before": load_before,
            "limit": args.limit,
            "cpus": os.cpu_count(),
            "versions": versions,
            "pages": len(pages),
            "html_mb": html_mb,
            "text_mb": text_mb,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"meta": meta, **result, "targets": targets}
        args.json.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
