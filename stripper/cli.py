"""The `stripper` command: a thin Unix filter over the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, BinaryIO

import typer
from typer.core import TyperGroup

from stripper import __version__
from stripper.config import PRECISION_THRESHOLD, RECALL_THRESHOLD, Config, InputFormat
from stripper.document import Label, Result
from stripper.inputs import decode
from stripper.model import ModelError
from stripper.pipeline import Stripper


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


def _sources(files: list[Path]) -> Iterator[tuple[str, BinaryIO | None]]:
    """(name, stream) per input; stream None when the file cannot be opened."""
    if not files or files == [Path("-")]:
        yield "<stdin>", sys.stdin.buffer
        return
    for path in files:
        if str(path) == "-":
            yield "<stdin>", sys.stdin.buffer
            continue
        try:
            stream = path.open("rb")
        except OSError as exc:
            error(f"error: cannot read {str(path)!r}: {exc.strerror or exc}")
            yield str(path), None
            continue
        with stream:
            yield str(path), stream


def _decoded(name: str, data: bytes) -> str:
    text, replaced = decode(data)
    if replaced:
        error(f"warning: {name}: invalid UTF-8, undecodable bytes replaced with U+FFFD")
    return text


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
            out.append(f"{lines:>7}  keep  {block.text}{score}")
            continue
        mark = "title" if block.label is Label.TITLE else "DROP "
        line = f"{lines:>7}  {mark} {block.text}"
        reason = f"{'':>7}        \u2514 {block.reason}"
        if color:
            line = typer.style(line, fg="red", dim=True)
            reason = typer.style(reason, fg="yellow")
        out += [line, reason]
    for trim in (r for r in result.removed if r.reason.stage == "metadata"):
        out.append(f"{'':>7}  note  cut {trim.text!r} at offset {trim.start}: {trim.reason}")
    return "\n".join(out)


def _strip_safely(stripper: Stripper, text: str) -> tuple[Result | None, str | None]:
    """The result, or the failure as one line: a bad document must not end a batch."""
    try:
        return stripper.strip(text), None
    except Exception as exc:  # reported per document; the run goes on
        return None, f"could not be cleaned ({type(exc).__name__}: {exc})"


def _write_record(record: object) -> None:
    try:
        typer.echo(json.dumps(record, ensure_ascii=False))
    except UnicodeEncodeError:  # a lone surrogate from a \ud800 escape: keep it escaped
        typer.echo(json.dumps(record))


def _record_meta(result: Result) -> dict:
    return {"title": result.title, "date": result.date, "removed": len(result.removed)}


def _clean_jsonl(stripper: Stripper, name: str, stream: BinaryIO, field: str) -> int:
    """Clean one JSON Lines stream record by record; returns how many records failed."""
    failures = 0
    for number, raw in enumerate(stream, start=1):
        line = _decoded(f"{name}:{number}", raw).rstrip("\r\n")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
            failures += 1
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
            error(f"error: {name}:{number}: not JSON ({reason}); record passed through")
            typer.echo(line)
            continue
        problem = None
        if not isinstance(record, dict):
            problem = "record is not a JSON object"
        elif not isinstance(record.get(field), str):
            problem = f"field {field!r} is missing or not a string"
        else:
            result, problem = _strip_safely(stripper, record[field])
        if problem:
            failures += 1
            error(f"error: {name}:{number}: {problem}; record passed through")
            if isinstance(record, dict):
                record["stripper"] = {"error": problem}
            _write_record(record)
            continue
        record[field] = result.body
        record["stripper"] = _record_meta(result)
        _write_record(record)
    return failures


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
    input_format: Annotated[
        InputFormat,
        typer.Option("--input", "-i", help="What the input is; auto sniffs for HTML."),
    ] = InputFormat.TEXT,
    jsonl: Annotated[
        bool,
        typer.Option("--jsonl", help="Input is JSON Lines: clean one field of every record."),
    ] = False,
    field: Annotated[
        str, typer.Option("--field", help="With --jsonl: the field holding the text.")
    ] = "text",
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
            help="Model score below which a block is dropped (default 0.5).",
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
) -> None:
    """Clean FILES (or standard input) and write the article body to standard output.

    Examples: `cat page.txt | stripper`, `stripper --explain page.txt`,
    `stripper --input html --format json page.html`, `stripper --jsonl --field text pages.jsonl`.
    """
    if sum((threshold is not None, precision, recall)) > 1:
        error("error: use one of --threshold, --precision, --recall")
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
        threshold=0.5 if threshold is None else threshold,
    )
    try:
        stripper = Stripper(config)
    except ModelError as exc:
        error(f"error: {exc}")
        raise typer.Exit(1) from None
    failures = 0
    sources = list(files or [])
    many = len(sources) > 1
    color = sys.stdout.isatty()
    for name, stream in _sources(sources):
        if stream is None:
            failures += 1
            continue
        if jsonl:
            failures += _clean_jsonl(stripper, name, stream, field)
            continue
        result, problem = _strip_safely(stripper, _decoded(name, stream.read()))
        if problem:
            failures += 1
            error(f"error: {name}: {problem}")
            continue
        if explain:
            typer.echo(_explain(result, color))
        elif output_format is OutputFormat.JSON:
            record = result.to_dict()
            if many:
                record = {"source": name, **record}
            typer.echo(json.dumps(record, ensure_ascii=False))
        else:
            if many:
                typer.echo(f"==> {name} <==")
            if result.body:
                typer.echo(result.body)
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
