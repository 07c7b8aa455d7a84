"""The `stripper` command: a thin Unix filter over the library."""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, BinaryIO

import typer
from typer.core import TyperGroup

from stripper import __version__
from stripper.batch import (
    MAX_CHARS,
    TIMEOUT,
    Batch,
    BatchSettings,
    Outcome,
    Summary,
    input_bytes,
    learn,
)
from stripper.config import (
    DEFAULT_THRESHOLD,
    PRECISION_THRESHOLD,
    RECALL_THRESHOLD,
    Config,
    InputFormat,
)
from stripper.document import Label, Result
from stripper.inputs import decode
from stripper.model import ModelError
from stripper.profiles import ProfilesError, SiteProfiles


class OutputFormat(Enum):
    TEXT = "text"
    JSON = "json"


class _CleanByDefault(TyperGroup):
    """`stripper FILE...` means `stripper clean FILE...` (and `--help` its help);
    named subcommands still work."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] != "--version"):
            args = ["clean", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_CleanByDefault,
    add_completion=False,
    no_args_is_help=False,
    help="Strip boilerplate from scraped article text: `stripper [FILE...]` (default: clean).",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stripper {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Strip menus, related stories, comments, captions and teasers from scraped text."""


def error(message: str) -> None:
    typer.echo(f"stripper: {message}", err=True)


def _explain(result: Result, color: bool) -> str:
    out = []
    for block in result.blocks:
        lines = (
            f"{block.first_line}"
            if block.first_line == block.last_line
            else f"{block.first_line}-{block.last_line}"
        )
        if block.label is Label.CONTENT:
            score = "" if block.score is None else f"  [model {block.score:.2f}]"
            if block.kept_because:
                score += f"  (kept: {block.kept_because})"
            out.append(f"{lines:>7}  keep  {block.written}{score}")
            continue
        mark = "title" if block.label is Label.TITLE else "DROP "
        line = f"{lines:>7}  {mark} {block.written}"
        reason = f"{'':>7}        \u2514 {block.reason}"
        if color:
            line = typer.style(line, fg="red", dim=True)
            reason = typer.style(reason, fg="yellow")
        out += [line, reason]
    for trim in (r for r in result.removed if r.reason.stage == "metadata"):
        out.append(f"{'':>7}  note  cut {trim.text!r} at offset {trim.start}: {trim.reason}")
    return "\n".join(out)


class _Progress:
    """Messages on stderr, and a progress line there when it is a terminal (and not --quiet)."""

    def __init__(self, shown: bool, total: int | None) -> None:
        self.shown = shown
        self.total = total  # input bytes, when known: for the percentage and ETA
        self.drawn = False
        self.due = 0.0

    def say(self, message: str) -> None:
        self.clear()
        error(message)

    def clear(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\x1b[K")
            self.drawn = False

    def update(self, summary: Summary) -> None:
        now = time.monotonic()
        if not self.shown or now < self.due:
            return
        self.due = now + 0.2  # redrawn five times a second at most
        seconds = max(summary.seconds, 1e-6)
        rate = summary.bytes_read / seconds
        line = (
            f"{summary.records:,} records  {summary.bytes_read / 1e6:,.1f} MB  "
            f"{rate / 1e6:,.1f} MB/s  {summary.records / seconds:,.0f} records/s"
        )
        if self.total and rate:
            left = max(self.total - summary.bytes_read, 0) / rate
            done = min(summary.bytes_read / self.total, 1)
            line += f"  {done:.0%}  ETA {int(left) // 60}:{int(left) % 60:02d}"
        sys.stderr.write(f"\r{line}\x1b[K")
        sys.stderr.flush()
        self.drawn = True


@dataclass(frozen=True, slots=True)
class _Writer:
    """Writes each outcome to standard output, in the form the options ask for."""

    out: BinaryIO
    jsonl: bool
    output_format: OutputFormat
    explain: bool
    many: bool  # several documents: a `==> name <==` header, or a "source" key in JSON
    color: bool

    def write(self, outcome: Outcome) -> None:
        result = outcome.result
        if self.jsonl:
            if outcome.output or outcome.spill:  # not so for an input that could not be read
                self._passed(outcome)
        elif result is None and not outcome.passed_through:
            return  # an input that could not be read: there is nothing to write
        elif self.explain:
            if result is not None:  # a document passed through has no lines to explain
                self._line(_explain(result, self.color))
        elif self.output_format is OutputFormat.JSON:
            if result is not None:
                record = result.to_dict()
            else:  # the document unchanged (unless too large to hold), and why
                body = None if outcome.spill else decode(outcome.output)[0]
                record = {"body": body, "error": outcome.error}
            if self.many:
                record = {"source": outcome.source, **record}
            self._line(json.dumps(record, ensure_ascii=False))
        else:
            if self.many:
                self._line(f"==> {outcome.source} <==")
            if result is None:
                self._passed(outcome)
            elif result.body:
                self._line(result.body)

    def _line(self, text: str) -> None:
        self.out.write(text.encode("utf-8") + b"\n")

    def _passed(self, outcome: Outcome) -> None:
        """The record's own bytes, on lines of their own."""
        last = outcome.output[-1:]
        if outcome.spill is None:
            self.out.write(outcome.output)
        else:
            with outcome.spill as spill:
                while chunk := spill.read(1 << 20):
                    self.out.write(chunk)
                    last = chunk[-1:]
        if last != b"\n":
            self.out.write(b"\n")


# Options `clean` and `learn` share: one declaration each.
InputOption = Annotated[
    InputFormat, typer.Option("--input", "-i", help="What the input is; auto sniffs for HTML.")
]
FieldOption = Annotated[
    str, typer.Option("--field", help="With --jsonl: the field holding the text.")
]
SiteOption = Annotated[
    str | None,
    typer.Option("--site", help="The site key of every input (default: a JSONL record's URL)."),
]
UrlFieldOption = Annotated[
    str, typer.Option("--url-field", help="With --jsonl: the field holding the page's URL.")
]


@app.command()
def clean(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files to clean; none or '-' reads standard input.", show_default=False
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="text: the body; json: body, title, date, removals."),
    ] = OutputFormat.TEXT,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Show every input line as kept or removed, with the reason."
        ),
    ] = False,
    input_format: InputOption = InputFormat.TEXT,
    jsonl: Annotated[
        bool,
        typer.Option("--jsonl", help="Input is JSON Lines: clean one field of every record."),
    ] = False,
    field: FieldOption = "text",
    languages: Annotated[
        list[str] | None,
        typer.Option("--lang", help="Use only these languages' rules (repeatable; default all)."),
    ] = None,
    no_title: Annotated[
        bool, typer.Option("--no-title", help="Leave a headline line in the body.")
    ] = False,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help=f"Model score below which a block is dropped (default {DEFAULT_THRESHOLD}).",
            show_default=False,
        ),
    ] = None,
    precision: Annotated[
        bool,
        typer.Option("--precision", help=f"Cut more chrome (threshold {PRECISION_THRESHOLD})."),
    ] = False,
    recall: Annotated[
        bool,
        typer.Option("--recall", help=f"Keep more text (threshold {RECALL_THRESHOLD})."),
    ] = False,
    model: Annotated[
        Path | None,
        typer.Option("--model", help="A model file `stripper train` wrote (default: shipped)."),
    ] = None,
    no_model: Annotated[
        bool, typer.Option("--no-model", help="Rules only: do not use the learned model.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes to clean with (default: all cores); 1 cleans in this one.",
            show_default=False,
        ),
    ] = None,
    max_chars: Annotated[
        int,
        typer.Option("--max-chars", min=1, help="Pass a longer text through uncleaned."),
    ] = MAX_CHARS,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.0,
            help="Seconds one document or record may take, else it is passed through; 0: no limit.",
        ),
    ] = TIMEOUT,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar, no summary at the end.")
    ] = False,
    profiles: Annotated[
        Path | None,
        typer.Option(
            "--profiles", help="Site profiles `stripper learn` wrote: cut each site's chrome."
        ),
    ] = None,
    site: SiteOption = None,
    url_field: UrlFieldOption = "url",
    learn_too: Annotated[
        bool,
        typer.Option(
            "--learn",
            help="Also learn each record into --profiles, after cleaning it (in one process).",
        ),
    ] = False,
) -> None:
    """Clean FILES (or standard input) and write the article body to standard output.

    Examples: `cat page.txt | stripper`, `stripper --explain page.txt`,
    `stripper --input html --format json page.html`, `stripper --jsonl --field text pages.jsonl`.
    """
    if sum((threshold is not None, precision, recall)) > 1:
        error("error: use one of --threshold, --precision, --recall")
        raise typer.Exit(2)
    if learn_too and profiles is None:
        error("error: --learn needs --profiles FILE")
        raise typer.Exit(2)
    if profiles is not None and not jsonl and site is None:
        error("error: --profiles on documents needs --site KEY (JSONL records give their URL)")
        raise typer.Exit(2)
    if precision:
        threshold = PRECISION_THRESHOLD
    elif recall:
        threshold = RECALL_THRESHOLD
    config = Config(
        input_format=input_format,
        languages=frozenset(languages) if languages else None,
        extract_title=not no_title,
        use_model=not no_model,
        model_path=model,
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        profiles=profiles,
    )
    settings = BatchSettings(
        workers=workers or os.cpu_count() or 1,
        jsonl=jsonl,
        field=field,
        url_field=url_field,
        site=site,
        learn=learn_too,
        max_chars=max_chars,
        timeout=timeout,
    )
    try:
        batch = Batch(config, settings)
    except (ModelError, ProfilesError) as exc:
        error(f"error: {exc}")
        raise typer.Exit(1) from None
    paths = list(files or [])
    terminal = sys.stderr.isatty() and not quiet
    progress = _Progress(terminal, input_bytes(paths) if terminal else None)
    writer = _Writer(
        out=typer.get_binary_stream("stdout"),
        jsonl=jsonl,
        output_format=output_format,
        explain=explain,
        many=len(paths) > 1 or any(path.is_dir() for path in paths),
        color=sys.stdout.isatty(),
    )
    summary = Summary()
    for outcome in batch.run(paths):
        summary.add(outcome)
        if outcome.warning:
            progress.say(f"warning: {outcome.position}: {outcome.warning}")
        if outcome.error:
            passed = "; passed through" if outcome.passed_through else ""
            progress.say(f"error: {outcome.position}: {outcome.error}{passed}")
        writer.write(outcome)
        progress.update(summary)
    writer.out.flush()
    progress.clear()
    # A lone document's error line says it all; a batch ends with its totals.
    if not quiet and summary.records > 1 and (summary.failures or sys.stderr.isatty()):
        error(str(summary))
    if summary.failures:
        raise typer.Exit(1)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


@app.command("learn")
def learn_command(
    profiles: Annotated[
        Path,
        typer.Option("--profiles", help="The profiles file (SQLite): created, or added to."),
    ],
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Pages to learn from; none or '-' reads standard input.", show_default=False
        ),
    ] = None,
    site: SiteOption = None,
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="Input is JSON Lines: one page a record.")
    ] = False,
    field: FieldOption = "text",
    url_field: UrlFieldOption = "url",
    input_format: InputOption = InputFormat.TEXT,
) -> None:
    """Count the lines each site repeats across its pages into --profiles, for cleaning.

    Examples: `stripper learn --jsonl crawl.jsonl.gz --profiles sites.db`,
    `stripper learn --site example.com pages/ --profiles sites.db`.
    """
    try:
        store = SiteProfiles(profiles, create=True)
    except ProfilesError as exc:
        error(f"error: {exc}")
        raise typer.Exit(1) from None
    settings = BatchSettings(jsonl=jsonl, field=field, url_field=url_field, site=site)
    pages = known = failures = 0
    sites: set[str] = set()
    for learned in learn(store, list(files or []), settings, input_format):
        if learned.error:
            failures += 1
            error(f"error: {learned.position}: {learned.error}")
        elif learned.site is not None:
            sites.add(learned.site)
            pages += learned.new
            known += not learned.new
    seen = f" ({known:,} learned before)" if known else ""
    typer.echo(
        f"learned {_count(pages, 'page')}{seen} of {_count(len(sites), 'site')} into "
        f"{profiles}; it holds {_count(store.sites(), 'site')}"
    )
    store.close()
    if failures:
        raise typer.Exit(1)


@app.command()
def train(
    corpora: Annotated[
        list[Path],
        typer.Argument(help="JSONL(.gz) files of pages: `html` (or `text`) and `gold` per record."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the model (JSON).")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same data, same file.")] = 0,
    include_held_out: Annotated[
        bool,
        typer.Option(
            "--include-held-out",
            help="Train on every page, also the fifth the benchmark keeps back to measure on.",
        ),
    ] = False,
    min_gold_in_page: Annotated[
        float,
        typer.Option(help="Skip pages whose gold_in_page is below this (broken pages)."),
    ] = 0.5,
    workers: Annotated[int, typer.Option(help="Processes for rendering and alignment.")] = 2,
) -> None:
    """Train a model on pages with gold text and write it to --out (needs stripper[train])."""
    try:
        from stripper.train import TrainSettings, train_model
    except ImportError as exc:
        error(f"error: training needs the extra: pip install 'stripper[train]' ({exc.name})")
        raise typer.Exit(1) from None
    missing = [str(path) for path in corpora if not path.is_file()]
    if missing:
        error(f"error: no such file: {missing[0]!r}")
        raise typer.Exit(1)
    settings = TrainSettings(
        corpora=tuple(corpora),
        seed=seed,
        include_held_out=include_held_out,
        min_gold_in_page=min_gold_in_page,
        workers=workers,
    )
    try:
        summary = train_model(settings, out, progress=lambda m: typer.echo(m, err=True))
    except ValueError as exc:  # unreadable corpus records, no usable pages
        error(f"error: {exc}")
        raise typer.Exit(1) from None
    typer.echo(summary)


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # `stripper big.txt | head` is not an error
        sys.stderr.close()
        raise SystemExit(0) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
