"""Quality benchmark: shingle F1 of stripper and its peers on the corpora with gold text.

Run from the repository root (see bench/README.md)::

    python -m bench.quality --workers 2
    python -m bench.quality --limit 50 --modes text,clean --corpus l3s-gn1,cleaneval

Metric (the article-extraction-benchmark convention): 4-gram shingles of lower-cased ``\\w+``
tokens (texts shorter than 4 tokens give one shingle of all their tokens); per page, tp/fp/fn
over the shingle multisets, normalised to tp + fp + fn = 1; precision is averaged over the pages
with a non-empty output, recall over the pages with a non-empty gold, and F1 is computed from
the two means.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import html
import json
import multiprocessing
import re
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script (python bench/quality.py): make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import gate
from stripper.corpus import is_held_out
from stripper.markdown import plain
from stripper.renderings import scraper_text

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = REPO_ROOT.parent / "shared" / "corpora"
CACHE_DIR = REPO_ROOT / "bench" / ".cache"

MODES = ("text", "soup", "markdown", "extractor", "html", "clean", "wrapped")
# The systems of each mode, in table order. In `extractor` mode `identity` is trafilatura's output.
SYSTEMS: dict[str, tuple[str, ...]] = {
    "text": ("identity", "justext", "c4", "stripper"),
    "soup": ("identity", "justext", "c4", "stripper"),
    "markdown": ("identity", "justext", "c4", "stripper"),
    "extractor": ("identity", "c4", "stripper"),
    "html": ("trafilatura", "justext", "stripper"),
    "clean": ("identity", "stripper"),
    "wrapped": ("identity", "stripper"),
}
ALL_SYSTEMS = frozenset(name for names in SYSTEMS.values() for name in names)
# `wrapped` mode: the gold text inside the least chrome a page has, a menu above and a
# footer below. The rules find that chrome, so the model judges the article as it does a
# scraped page's: every paragraph should stay, however long the article.
WRAP_MENU = "Home\nNews\nSport\nBusiness\nCulture\nOpinion"
WRAP_FOOTER = (
    "About us\nContact\nPrivacy policy\nTerms of use\n© 2025 Example Media. All rights reserved."
)
SNIPPET_MODE = "text"  # snippet corpora (no gold string) are scored in this mode only
LEAK_PARTS = ("related", "comments")
LEAK_MODES = ("text", "extractor", "html")
MIN_GOLD_IN_PAGE = 0.5
MIN_LANG_PAGES = 20
# Corpora that label each page's type (wcxb: article, forum, product, ...) are also
# reported by type in this mode: where the tool works and where it does not.
PAGE_TYPE_MODE = "text"
SHINGLE_N = 4
# Used when the corpora README has no `use` column to read.
TRAIN_CORPORA_FALLBACK = frozenset({"dragnet", "wcxb-dev"})

# ISO 639-1 -> jusText stoplist name, for `--justext-stoplist lang`.
JUSTEXT_LANGS = {
    "af": "Afrikaans",
    "ar": "Arabic",
    "bg": "Bulgarian",
    "ca": "Catalan",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "ko": "Korean",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "nb": "Norwegian_Bokmal",
    "nl": "Dutch",
    "nn": "Norwegian_Nynorsk",
    "no": "Norwegian_Bokmal",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sr": "Serbian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
}


# --------------------------------------------------------------------------- metric

_TOKEN_RE = re.compile(r"\w+")


def shingles(text: str, n: int = SHINGLE_N) -> Counter[str]:
    """Multiset of the word n-grams of ``text``; fewer than n tokens give one shorter shingle."""
    tokens = _TOKEN_RE.findall(text.lower())
    if len(tokens) < n:
        return Counter([" ".join(tokens)]) if tokens else Counter()
    return Counter(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def match(gold: Counter[str], pred: Counter[str]) -> tuple[float, float, float]:
    """tp, fp, fn of one page, normalised so that they add up to 1 (all 0 when both are empty)."""
    tp = sum((gold & pred).values())
    fp = sum(pred.values()) - tp
    fn = sum(gold.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_precision(tp: float, fp: float) -> float | None:
    """None for an empty output: such a page does not enter the precision mean."""
    return tp / (tp + fp) if tp + fp > 0 else None


def page_recall(tp: float, fn: float) -> float | None:
    """None for an empty gold: such a page does not enter the recall mean."""
    return tp / (tp + fn) if tp + fn > 0 else None


def f1_from(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def normalise_ws(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- systems

_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")


def _justext_paragraphs(markup: str, stoplist: frozenset[str]) -> str:
    import justext

    paragraphs = justext.justext(markup, stoplist)
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def justext_on_text(text: str, stoplist: frozenset[str]) -> str:
    """jusText over plain text: every non-empty line becomes one <p> of a tiny HTML page."""
    body = "".join(
        f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip()
    )
    if not body:
        return ""
    return _justext_paragraphs(f"<html><body>{body}</body></html>", stoplist)


def justext_on_html(page: str, stoplist: frozenset[str]) -> str:
    # lxml refuses a str that carries an XML encoding declaration, and jusText then re-parses
    # UTF-8 bytes under the declared charset; the page is already decoded, so drop the declaration.
    return _justext_paragraphs(_XML_DECL_RE.sub("", page, count=1), stoplist)


def justext_stoplist_name(setting: str, lang: str | None) -> str:
    """The jusText stoplist for a page: ``setting`` is ``lang`` (the page's language, English
    when jusText has none) or a fixed stoplist name."""
    if setting == "lang":
        return JUSTEXT_LANGS.get((lang or "").split("-")[0].lower(), "English")
    return setting


@functools.cache
def justext_stoplist(name: str) -> frozenset[str]:
    import justext

    return justext.get_stoplist(name)


def make_c4() -> Callable[[str], str] | None:
    """The C4 line filter from datatrove, or None when datatrove is not installed.

    ``min_num_sentences=-1`` gives the same output as the benchmark spec's ``0`` (no page is
    dropped for having too few sentences) without counting sentences, which needs spaCy.
    """
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters import C4QualityFilter
    except ImportError:
        return None
    c4_filter = C4QualityFilter(min_num_sentences=-1)

    def run(text: str) -> str:
        doc = Document(text=text, id="bench")
        verdict = c4_filter.filter(doc)
        keep = verdict[0] if isinstance(verdict, tuple) else bool(verdict)
        return doc.text if keep else ""

    return run


def trafilatura_extract(page: str) -> str:
    return scraper_text(page, "trafilatura")


def page_text(page: str) -> str:
    return scraper_text(page, "html_text")


def soup_text(page: str) -> str:
    """The classic scraper's `BeautifulSoup(html).get_text("\\n")`: every text node a
    line, so a sentence breaks at each of its links."""
    return scraper_text(page, "soup")


def markdown_text(page: str) -> str:
    """The page as Markdown, as scrapers that write Markdown give it (html2text)."""
    return scraper_text(page, "markdown")


def markdown_words(text: str) -> str:
    """Markdown output scored by the words a reader sees: link and image addresses are no
    text of the page's (every system's output is read so)."""
    return "\n".join(plain(line.strip()) for line in text.splitlines())


# --------------------------------------------------------------------------- worker


class SystemTimeout(Exception):
    pass


def _on_alarm(signum: int, frame: Any) -> None:
    raise SystemTimeout("timed out")


@dataclass
class WorkerConfig:
    modes: tuple[str, ...]
    justext_stoplist: str  # "lang" or a jusText stoplist name
    timeout: float
    systems: frozenset[str] = ALL_SYSTEMS


class Worker:
    """Everything one process needs to score pages: built once per process."""

    def __init__(self, config: WorkerConfig) -> None:
        from stripper import Config, InputFormat, Stripper

        self.config = config
        self.text_stripper = Stripper(Config(input_format=InputFormat.TEXT))
        self.html_stripper = Stripper(Config(input_format=InputFormat.HTML))
        self.c4 = make_c4()
        if hasattr(signal, "setitimer"):
            signal.signal(signal.SIGALRM, _on_alarm)

    def stoplist(self, lang: str | None) -> frozenset[str]:
        return justext_stoplist(justext_stoplist_name(self.config.justext_stoplist, lang))

    def systems(self, mode: str, lang: str | None) -> dict[str, Callable[[str], str]]:
        stoplist = self.stoplist(lang)
        table: dict[str, Callable[[str], str] | None] = {
            "identity": lambda text: text,
            "c4": self.c4,
            "stripper": (
                (lambda page: self.html_stripper.strip(page).body)
                if mode == "html"
                else (lambda text: self.text_stripper.strip(text).body)
            ),
            "justext": (
                (lambda page: justext_on_html(page, stoplist))
                if mode == "html"
                else (lambda text: justext_on_text(text, stoplist))
            ),
            "trafilatura": trafilatura_extract,
        }
        return {
            name: fn
            for name in SYSTEMS[mode]
            if name in self.config.systems and (fn := table[name]) is not None
        }

    def run(self, fn: Callable[[str], str], arg: str) -> tuple[str, float, str | None]:
        """Output, seconds and error of one call; an error or a time-out gives an empty output."""
        timed = self.config.timeout > 0 and hasattr(signal, "setitimer")
        start = time.process_time()  # CPU time: other processes on the machine do not count
        try:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, self.config.timeout)
            try:
                out, err = fn(arg) or "", None
            finally:
                if timed:
                    signal.setitimer(signal.ITIMER_REAL, 0)
        except Exception as exc:
            out, err = "", f"{type(exc).__name__}: {exc}"[:300]
        return out, time.process_time() - start, err

    # -- one page

    def inputs(self, task: Task) -> tuple[dict[str, str], dict[str, str], dict[str, Any] | None]:
        """Each mode's input, input-preparation errors, and a new trafilatura cache entry."""
        rec = task.record
        modes = self.config.modes if task.kind == "gold" else (SNIPPET_MODE,)
        inputs: dict[str, str] = {}
        errors: dict[str, str] = {}
        new_cache = None
        for mode in modes:
            if mode == "text":
                inputs[mode], _, err = self.run(page_text, rec["html"])
            elif mode == "soup":
                inputs[mode], _, err = self.run(soup_text, rec["html"])
            elif mode == "markdown":
                inputs[mode], _, err = self.run(markdown_text, rec["html"])
            elif mode == "extractor":
                if task.cached_extract is not None:
                    inputs[mode], err = task.cached_extract, None
                else:
                    inputs[mode], _, err = self.run(trafilatura_extract, rec["html"])
                    if err is None:
                        new_cache = {"id": rec["id"], "text": inputs[mode]}
            elif mode == "html":
                inputs[mode], err = rec["html"], None
            elif mode == "clean":
                inputs[mode], err = rec.get("gold") or "", None
            else:  # wrapped
                inputs[mode], err = f"{WRAP_MENU}\n{rec.get('gold') or ''}\n{WRAP_FOOTER}", None
            if err is not None:
                errors[mode] = err
        return inputs, errors, new_cache

    def score(self, task: Task) -> dict[str, Any]:
        rec = task.record
        inputs, prep_errors, new_cache = self.inputs(task)
        result: dict[str, Any] = {
            "corpus": task.corpus,
            "id": rec["id"],
            "kind": task.kind,
            "lang": rec.get("lang") or "unknown",
            "page_type": rec.get("page_type"),
            "prep_errors": prep_errors,
            "new_cache": new_cache,
            "systems": {},
        }
        if task.kind == "gold":
            gold = shingles(rec["gold"])
            parts = rec.get("parts") or {}
            leak_sets = {}
            for part in LEAK_PARTS:
                counts: Counter[str] = Counter()
                for block in parts.get(part) or ():
                    counts.update(shingles(block))
                # Shingles the gold shares (a repeated headline, say) are no leak.
                counts = Counter({k: v for k, v in counts.items() if k not in gold})
                if counts:
                    leak_sets[part] = counts
            for mode, arg in inputs.items():
                for name, fn in self.systems(mode, rec.get("lang")).items():
                    out, secs, err = self.run(fn, arg)
                    pred = shingles(markdown_words(out) if mode == "markdown" else out)
                    row: dict[str, Any] = {
                        "m": match(gold, pred),
                        "sec": secs,
                        "err": err,
                        "empty": not pred,
                    }
                    if mode in LEAK_MODES and leak_sets:
                        row["leak"] = {
                            part: (sum((counts & pred).values()), sum(counts.values()))
                            for part, counts in leak_sets.items()
                        }
                    result["systems"][f"{mode}/{name}"] = row
        else:
            keep = [s for s in map(normalise_ws, rec.get("with") or ()) if s]
            drop = [s for s in map(normalise_ws, rec.get("without") or ()) if s]
            for name, fn in self.systems(SNIPPET_MODE, rec.get("lang")).items():
                out, secs, err = self.run(fn, inputs[SNIPPET_MODE])
                flat = normalise_ws(out)
                result["systems"][f"{SNIPPET_MODE}/{name}"] = {
                    "kept": sum(s in flat for s in keep),
                    "n_keep": len(keep),
                    "dropped": sum(s not in flat for s in drop),
                    "n_drop": len(drop),
                    "sec": secs,
                    "err": err,
                }
        return result


@dataclass
class Task:
    corpus: str
    kind: str  # "gold" (shingle F1) or "snippets" (keep/drop snippets)
    record: dict[str, Any]
    cached_extract: str | None = None


_WORKER: Worker | None = None


def _init_worker(config: WorkerConfig) -> None:
    global _WORKER
    _WORKER = Worker(config)


def _score(task: Task) -> dict[str, Any]:
    assert _WORKER is not None
    try:
        return _WORKER.score(task)
    except Exception as exc:  # never lose the run to one page
        return {
            "corpus": task.corpus,
            "id": task.record.get("id"),
            "kind": task.kind,
            "failed": f"{type(exc).__name__}: {exc}"[:300],
        }


# --------------------------------------------------------------------------- corpora


def train_corpora(corpora_dir: Path) -> frozenset[str]:
    """Corpora whose `use` column in the corpora README says `train`."""
    readme = corpora_dir / "README.md"
    if not readme.is_file():
        return TRAIN_CORPORA_FALLBACK
    found = set()
    row = re.compile(r"^\|\s*`([^`]+)\.jsonl\.gz`\s*\|.*\|\s*([^|]*?)\s*\|\s*$")
    for line in readme.read_text(encoding="utf-8").splitlines():
        m = row.match(line)
        if m and m.group(2).lower().startswith("train"):
            found.add(m.group(1))
    return frozenset(found) or TRAIN_CORPORA_FALLBACK


def record_kind(rec: dict[str, Any]) -> str | None:
    if not rec.get("html"):
        return None
    if rec.get("gold"):
        return "gold"
    if rec.get("with") or rec.get("without"):
        return "snippets"
    return None


@dataclass
class CorpusPlan:
    name: str
    path: Path
    train: bool
    counts: Counter[str] = field(default_factory=Counter)  # pages read / used / skipped why


def read_corpus(plan: CorpusPlan, limit: int | None) -> Iterator[tuple[str, dict[str, Any]]]:
    used = 0
    with gzip.open(plan.path, "rt", encoding="utf-8") as f:
        for line in f:
            if limit is not None and used >= limit:
                break
            rec = json.loads(line)
            plan.counts["read"] += 1
            kind = record_kind(rec)
            if kind is None:
                plan.counts["no gold or snippets"] += 1
                continue
            gip = rec.get("gold_in_page")
            if kind == "gold" and gip is not None and gip < MIN_GOLD_IN_PAGE:
                plan.counts["gold_in_page < 0.5"] += 1
                continue
            if plan.train and not is_held_out(rec["id"]):
                plan.counts["train split"] += 1
                continue
            used += 1
            plan.counts[kind] += 1
            yield kind, rec


class ExtractCache:
    """trafilatura.extract(html) per corpus and record id, in bench/.cache/ (one JSONL a corpus)."""

    def __init__(self, root: Path) -> None:
        import trafilatura

        self.dir = root / f"trafilatura-{trafilatura.__version__}"

    def path(self, corpus: str) -> Path:
        return self.dir / f"{corpus}.jsonl"

    def load(self, corpus: str) -> dict[str, str]:
        entries: dict[str, str] = {}
        path = self.path(corpus)
        if path.is_file():
            with path.open(encoding="utf-8") as f:
                for line in f:
                    try:
                        entry = json.loads(line)
                        entries[entry["id"]] = entry["text"]
                    except (ValueError, KeyError, TypeError):
                        continue  # a torn last line from an interrupted run
        return entries

    def append(self, corpus: str, entry: dict[str, Any]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        with self.path(corpus).open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------- aggregation


@dataclass
class QualityCell:
    docs: int = 0
    precisions: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: int = 0
    empty: int = 0
    leak: dict[str, list[int]] = field(default_factory=dict)  # part -> [hit, total, docs]

    def add(self, row: dict[str, Any]) -> None:
        tp, fp, fn = row["m"]
        self.docs += 1
        if (p := page_precision(tp, fp)) is not None:
            self.precisions.append(p)
        if (r := page_recall(tp, fn)) is not None:
            self.recalls.append(r)
        self.seconds += row["sec"]
        self.errors += row["err"] is not None
        self.empty += row["empty"]
        for part, (hit, total) in (row.get("leak") or {}).items():
            acc = self.leak.setdefault(part, [0, 0, 0])
            acc[0] += hit
            acc[1] += total
            acc[2] += 1

    def summary(self) -> dict[str, Any]:
        p = sum(self.precisions) / len(self.precisions) if self.precisions else None
        r = sum(self.recalls) / len(self.recalls) if self.recalls else None
        return {
            "docs": self.docs,
            "f1": f1_from(p, r),
            "precision": p,
            "recall": r,
            "docs_per_s": self.docs / self.seconds if self.seconds > 0 else None,
            "empty": self.empty,
            "errors": self.errors,
        }


@dataclass
class SnippetCell:
    pages: int = 0
    kept: int = 0
    n_keep: int = 0
    dropped: int = 0
    n_drop: int = 0
    seconds: float = 0.0
    errors: int = 0

    def add(self, row: dict[str, Any]) -> None:
        self.pages += 1
        self.kept += row["kept"]
        self.n_keep += row["n_keep"]
        self.dropped += row["dropped"]
        self.n_drop += row["n_drop"]
        self.seconds += row["sec"]
        self.errors += row["err"] is not None


@dataclass
class Results:
    quality: dict[tuple[str, str, str], QualityCell] = field(
        default_factory=lambda: defaultdict(QualityCell)
    )
    snippets: dict[tuple[str, str, str], SnippetCell] = field(
        default_factory=lambda: defaultdict(SnippetCell)
    )
    # (corpus, page type, system) -> scores in PAGE_TYPE_MODE
    page_types: dict[tuple[str, str, str], QualityCell] = field(
        default_factory=lambda: defaultdict(QualityCell)
    )
    lang_pages: Counter[tuple[str, str]] = field(default_factory=Counter)
    prep_errors: Counter[tuple[str, str]] = field(default_factory=Counter)
    failed_pages: list[tuple[str, str, str]] = field(default_factory=list)
    error_samples: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, res: dict[str, Any]) -> None:
        corpus = res["corpus"]
        if "failed" in res:
            self.failed_pages.append((corpus, res["id"], res["failed"]))
            return
        for mode in res["prep_errors"]:
            self.prep_errors[(corpus, mode)] += 1
        if res["kind"] == "gold":
            for key, row in res["systems"].items():
                mode, system = key.split("/", 1)
                self.quality[(corpus, mode, system)].add(row)
                if mode == PAGE_TYPE_MODE and res.get("page_type"):
                    self.page_types[(corpus, res["page_type"], system)].add(row)
                if row["err"] is not None:
                    self.error_samples.setdefault((key, row["err"][:40]), f"{corpus} {res['id']}")
        else:
            lang = res["lang"]
            self.lang_pages[(corpus, lang)] += 1
            for key, row in res["systems"].items():
                system = key.split("/", 1)[1]
                for group in (lang, "all"):
                    self.snippets[(corpus, group, system)].add(row)
                if row["err"] is not None:
                    self.error_samples.setdefault((key, row["err"][:40]), f"{corpus} {res['id']}")


# --------------------------------------------------------------------------- report


def _num(x: float | None, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _rate(x: float | None) -> str:
    if x is None:
        return "n/a"
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def _pct(hit: int, total: int) -> str:
    return f"{100 * hit / total:.1f}" if total else "n/a"


def _table(header: list[str], rows: Iterable[list[str]], right_from: int) -> list[str]:
    rows = list(rows)
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]

    def fmt(cells: list[str]) -> str:
        out = [
            str(c).rjust(w) if i >= right_from else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(out) + " |"

    rule = [
        ("-" * (w + 1) + ":") if i >= right_from else "-" * (w + 2) for i, w in enumerate(widths)
    ]
    return [fmt(header), "|" + "|".join(rule) + "|", *map(fmt, rows)]


def _order(corpora: list[str], modes: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
    for corpus in corpora:
        for mode in modes:
            for system in SYSTEMS[mode]:
                yield corpus, mode, system


def render(results: Results, corpora: list[str], modes: tuple[str, ...]) -> list[str]:
    lines: list[str] = []
    rows = []
    for key in _order(corpora, modes):
        if key not in results.quality:
            continue
        s = results.quality[key].summary()
        rows.append(
            [
                *key,
                str(s["docs"]),
                _num(s["f1"]),
                _num(s["precision"]),
                _num(s["recall"]),
                _rate(s["docs_per_s"]),
                str(s["empty"]),
                str(s["errors"]),
            ]
        )
    if rows:
        lines.append("### Shingle F1 (4-gram shingles, precision and recall averaged over pages)")
        lines.append("")
        header = [
            "corpus",
            "mode",
            "system",
            "docs",
            "F1",
            "precision",
            "recall",
            "docs/s",
            "empty",
            "errors",
        ]
        lines += _table(header, rows, right_from=3)
        lines.append("")
    lines += _render_page_types(results, corpora)

    leak_rows = []
    for key in _order(corpora, tuple(m for m in modes if m in LEAK_MODES)):
        cell = results.quality.get(key)
        if cell is None or not cell.leak:
            continue
        cells = []
        for part in LEAK_PARTS:
            hit, total, docs = cell.leak.get(part, (0, 0, 0))
            cells += [str(docs), _pct(hit, total)]
        leak_rows.append([*key, *cells])
    if leak_rows:
        lines.append(
            "### Leak: share of the related / comments shingles (not in the gold) "
            "found in the output"
        )
        lines.append("")
        header = [
            "corpus",
            "mode",
            "system",
            "related docs",
            "related leak %",
            "comments docs",
            "comments leak %",
        ]
        lines += _table(header, leak_rows, right_from=3)
        lines.append("")

    snip_rows = []
    for corpus in corpora:
        langs = sorted(
            (
                lang
                for (c, lang), n in results.lang_pages.items()
                if c == corpus and n >= MIN_LANG_PAGES
            ),
            key=lambda lang: (-results.lang_pages[(corpus, lang)], lang),
        )
        for group in [*langs, "all"]:
            for system in SYSTEMS[SNIPPET_MODE]:
                cell = results.snippets.get((corpus, group, system))
                if cell is None:
                    continue
                snip_rows.append(
                    [
                        corpus,
                        group,
                        system,
                        str(cell.pages),
                        _pct(cell.kept, cell.n_keep),
                        _pct(cell.dropped, cell.n_drop),
                        _rate(cell.pages / cell.seconds if cell.seconds > 0 else None),
                        str(cell.errors),
                    ]
                )
    if snip_rows:
        lines.append(
            f"### Snippets ({SNIPPET_MODE} mode): share of keep snippets kept and of "
            f"drop snippets dropped (languages with >= {MIN_LANG_PAGES} pages)"
        )
        lines.append("")
        header = [
            "corpus",
            "lang",
            "system",
            "pages",
            "keep kept %",
            "drop dropped %",
            "docs/s",
            "errors",
        ]
        lines += _table(header, snip_rows, right_from=3)
        lines.append("")
    return lines


def _render_page_types(results: Results, corpora: list[str]) -> list[str]:
    """F1 by page type, for corpora that label it: pages with the most types first."""
    rows = []
    for corpus in corpora:
        types = {
            page_type: cell.docs
            for (c, page_type, system), cell in results.page_types.items()
            if c == corpus and system == "stripper"
        }
        for page_type, _ in sorted(types.items(), key=lambda kv: (-kv[1], kv[0])):
            for system in SYSTEMS[PAGE_TYPE_MODE]:
                cell = results.page_types.get((corpus, page_type, system))
                if cell is None:
                    continue
                s = cell.summary()
                rows.append(
                    [
                        corpus,
                        page_type,
                        system,
                        str(s["docs"]),
                        _num(s["f1"]),
                        _num(s["precision"]),
                        _num(s["recall"]),
                    ]
                )
    if not rows:
        return []
    header = ["corpus", "page type", "system", "docs", "F1", "precision", "recall"]
    return [
        f"### By page type ({PAGE_TYPE_MODE} mode)",
        "",
        *_table(header, rows, right_from=3),
        "",
    ]


def results_json(results: Results, meta: dict[str, Any]) -> dict[str, Any]:
    quality = []
    for (corpus, mode, system), cell in sorted(results.quality.items()):
        row = {"corpus": corpus, "mode": mode, "system": system, **cell.summary()}
        if cell.leak:
            row["leak"] = {
                part: {"docs": d, "hit": h, "total": t} for part, (h, t, d) in cell.leak.items()
            }
        quality.append(row)
    page_types = [
        {"corpus": c, "page_type": t, "mode": PAGE_TYPE_MODE, "system": s, **cell.summary()}
        for (c, t, s), cell in sorted(results.page_types.items())
    ]
    snippets = [
        {
            "corpus": c,
            "lang": lang,
            "system": s,
            "pages": cell.pages,
            "kept": cell.kept,
            "n_keep": cell.n_keep,
            "dropped": cell.dropped,
            "n_drop": cell.n_drop,
            "errors": cell.errors,
            "seconds": cell.seconds,
        }
        for (c, lang, s), cell in sorted(results.snippets.items())
    ]
    return {
        "meta": meta,
        "quality": quality,
        "page_types": page_types,
        "snippets": snippets,
        "prep_errors": [
            {"corpus": c, "mode": m, "pages": n}
            for (c, m), n in sorted(results.prep_errors.items())
        ],
        "failed_pages": [{"corpus": c, "id": i, "error": e} for c, i, e in results.failed_pages],
    }


def command_and_versions(
    module: str, argv: list[str] | None, versions: dict[str, str]
) -> list[str]:
    """The report lines that say how to re-run it and with which versions."""
    args = " ".join(argv if argv is not None else sys.argv[1:])
    return [
        f"Command: `python -m {module} {args}`",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        "",
    ]


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("stripper", "trafilatura", "justext", "html-text", "datatrove"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "missing"
    try:
        rev = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
        if rev:
            out["stripper"] += f" ({rev})"
    except (OSError, subprocess.SubprocessError):
        pass
    return out


# --------------------------------------------------------------------------- main


def add_corpus_arguments(ap: argparse.ArgumentParser) -> None:
    """--corpora and --corpus, the same in every benchmark."""
    ap.add_argument(
        "--corpora",
        type=Path,
        default=DEFAULT_CORPORA,
        help="directory of *.jsonl.gz corpora (default: ../shared/corpora from the "
        "repository root)",
    )
    ap.add_argument(
        "--corpus",
        action="append",
        default=[],
        help="only these corpora (file name without .jsonl.gz); repeatable or a comma list",
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_corpus_arguments(ap)
    ap.add_argument(
        "--modes", default=",".join(MODES), help=f"comma list of {', '.join(MODES)} (default: all)"
    )
    ap.add_argument("--limit", type=int, default=None, help="at most N pages per corpus")
    ap.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    ap.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="seconds one system may spend on one page; then it counts as an error "
        "with empty output (0: no limit)",
    )
    ap.add_argument(
        "--justext-stoplist",
        default="lang",
        help="jusText stoplist: 'lang' (the page's language, English when jusText "
        "has none) or a stoplist name such as English",
    )
    ap.add_argument(
        "--systems",
        default=",".join(sorted(ALL_SYSTEMS)),
        help="comma list of the systems to run (default: all; `stripper` alone is fastest)",
    )
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument(
        "--gate",
        type=Path,
        default=None,
        help="floors file (bench/floors.toml): exit 1 when stripper misses one (bench/gate.py)",
    )
    ap.add_argument(
        "--profiles",
        action="store_true",
        help="also site profiles against the model alone, on dragnet's sites (bench/profiles.py)",
    )
    ap.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the trafilatura cache in bench/.cache/",
    )
    args = ap.parse_args(argv)
    args.modes = tuple(m.strip() for m in args.modes.split(",") if m.strip())
    bad = [m for m in args.modes if m not in MODES]
    if bad or not args.modes:
        ap.error(f"unknown mode(s) {bad}; choose from {', '.join(MODES)}")
    args.corpus = [c.strip() for arg in args.corpus for c in arg.split(",") if c.strip()]
    args.systems = frozenset(name.strip() for name in args.systems.split(",") if name.strip())
    if not args.systems or args.systems - ALL_SYSTEMS:
        ap.error(f"unknown system(s) in --systems; choose from {', '.join(sorted(ALL_SYSTEMS))}")
    if args.justext_stoplist != "lang":
        import justext

        if args.justext_stoplist not in justext.get_stoplists():
            ap.error(f"jusText has no stoplist {args.justext_stoplist!r}")
    return args


def corpus_plans(corpora_dir: Path, selected: list[str] | None) -> list[CorpusPlan] | str:
    """The corpora to run (all, or the `--corpus` ones), or why there are none to run."""
    if not corpora_dir.is_dir():
        return f"corpora directory not found: {corpora_dir}"
    train = train_corpora(corpora_dir)
    plans = [
        CorpusPlan(name, path, name in train)
        for path in sorted(corpora_dir.glob("*.jsonl.gz"))
        if (name := path.name.removesuffix(".jsonl.gz"))
    ]
    if selected:
        missing = sorted(set(selected) - {p.name for p in plans})
        if missing:
            return f"no such corpus: {', '.join(missing)}"
        plans = [p for p in plans if p.name in selected]
    return plans


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    plans = corpus_plans(args.corpora, args.corpus)
    if isinstance(plans, str):
        print(plans, file=sys.stderr)
        return 2
    try:
        floors = gate.load_floors(args.gate) if args.gate is not None else None
    except gate.GateError as exc:
        print(exc, file=sys.stderr)
        return 2

    cache = None if args.no_cache or "extractor" not in args.modes else ExtractCache(CACHE_DIR)
    cached: dict[str, dict[str, str]] = {}

    def tasks() -> Iterator[Task]:
        for plan in plans:
            if cache is not None:
                cached[plan.name] = cache.load(plan.name)
            for kind, rec in read_corpus(plan, args.limit):
                if kind == "snippets" and SNIPPET_MODE not in args.modes:
                    continue
                extract = cached.get(plan.name, {}).get(rec["id"]) if kind == "gold" else None
                yield Task(plan.name, kind, rec, extract)

    config = WorkerConfig(args.modes, args.justext_stoplist, args.timeout, args.systems)
    results = Results()
    started = time.perf_counter()
    done = 0

    def collect(res: dict[str, Any]) -> None:
        nonlocal done
        results.add(res)
        if cache is not None and res.get("new_cache"):
            cache.append(res["corpus"], res["new_cache"])
        done += 1
        if done % 200 == 0:
            print(f"  {done} pages, {time.perf_counter() - started:.0f} s", file=sys.stderr)

    if args.workers <= 1:
        _init_worker(config)
        for task in tasks():
            collect(_score(task))
    else:
        ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
        with ctx.Pool(args.workers, initializer=_init_worker, initargs=(config,)) as pool:
            for res in pool.imap_unordered(_score, tasks(), chunksize=2):
                collect(res)
    elapsed = time.perf_counter() - started

    corpora = [p.name for p in plans]
    versions = _versions()
    out = [
        f"Quality benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{elapsed:.0f} s wall with {max(args.workers, 1)} worker(s).",
        "",
        *command_and_versions("bench.quality", argv, versions),
        "Pages: "
        + "; ".join(
            f"{p.name}{' (train: held-out 20%)' if p.train else ''} "
            + ", ".join(f"{k} {v}" for k, v in p.counts.items())
            for p in plans
        ),
        "",
        "docs/s: pages per CPU second of the system alone (input preparation not timed); "
        "empty: pages with no output tokens; errors: pages where the system raised or timed out "
        "(scored as empty output).",
        "",
    ]
    out += render(results, corpora, args.modes)
    profiles = None
    if args.profiles:
        from bench import profiles as site_profiles

        started = time.perf_counter()
        corpus = args.corpora / f"{site_profiles.PROFILES_CORPUS}.jsonl.gz"
        scores = site_profiles.run(corpus, args.workers, limit=args.limit)
        table, profiles = site_profiles.report(scores, time.perf_counter() - started)
        out += table
    notes = []
    for (key, err), where in sorted(results.error_samples.items())[:20]:
        notes.append(f"- {key} raised on {where}: {err}")
    for (corpus, mode), n in sorted(results.prep_errors.items()):
        notes.append(
            f"- {corpus}: input preparation failed for {n} page(s) in {mode} mode "
            "(input taken as empty)"
        )
    for corpus, rid, err in results.failed_pages[:20]:
        notes.append(f"- page failed whole: {corpus} {rid}: {err}")
    c4_asked = "c4" in args.systems and any("c4" in SYSTEMS[m] for m in args.modes)
    if c4_asked and "c4" not in {k[2] for k in results.quality}:
        notes.append("- c4 skipped: datatrove is not installed (pip install -e '.[bench]')")
    if notes:
        out += ["Notes:", "", *notes, ""]
    text = "\n".join(out)
    print(text)
    meta = {
        "elapsed_s": elapsed,
        "workers": args.workers,
        "modes": list(args.modes),
        "limit": args.limit,
        "versions": versions,
        "pages": {p.name: dict(p.counts) for p in plans},
    }
    data = results_json(results, meta)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        if profiles is not None:
            data["profiles"] = profiles
        args.json.write_text(json.dumps(data, indent=1), encoding="utf-8")
    if floors is not None:
        missed = gate.failures(data, floors)
        print(f"Quality gate ({args.gate}): {len(missed)} bound(s) missed")
        for line in missed:
            print(f"- {line}")
        return 1 if missed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
