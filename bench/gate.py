"""The quality gate: stripper's benchmark results against the floors in a TOML file.

`python -m bench.quality --gate bench/floors.toml` exits 1 when a measured value falls
below its floor (or a leak rises above its ceiling); the test suite runs it on the
corpora beside the checkout, so a change that costs quality cannot land unnoticed.

The file has one table a corpus and mode, and for snippet corpora one a language:

    [dragnet.text]
    min_f1 = 0.887
    [l3s-gn1.text]
    max_related_leak = 0.135
    [trafilatura-eval.snippets.de]
    min_keep = 0.905

`min_` keys are floors and `max_` keys ceilings, on the metrics `METRICS` names.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

SYSTEM = "stripper"
SNIPPETS = "snippets"
QUALITY_METRICS = ("f1", "precision", "recall", "related_leak", "comments_leak")
SNIPPET_METRICS = ("keep", "drop")
METRICS = QUALITY_METRICS + SNIPPET_METRICS
# (corpus, mode or "snippets.<language>") -> {"min_f1": 0.887, ...}
Floors = dict[tuple[str, str], dict[str, float]]


class GateError(Exception):
    """The floors file cannot be read or names what the benchmark does not measure."""


def load_floors(path: Path) -> Floors:
    """The floors in a TOML file, as `Floors`; GateError when it cannot be used."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GateError(f"cannot read floors {str(path)!r}: {exc}") from None
    floors: Floors = {}
    for corpus, sections in data.items():
        for section, bounds in _table(sections).items():
            if section == SNIPPETS:
                for language, language_bounds in _table(bounds).items():
                    floors[(corpus, f"{SNIPPETS}.{language}")] = _bounds(language_bounds)
            else:
                floors[(corpus, section)] = _bounds(bounds)
    return floors


def _table(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise GateError(f"expected a table, got {value!r}")
    return value


def _bounds(bounds: Any) -> dict[str, float]:
    for key, value in _table(bounds).items():
        direction, _, metric = key.partition("_")
        if direction not in ("min", "max") or metric not in METRICS:
            raise GateError(f"unknown bound {key!r}: min_ or max_ and one of {METRICS}")
        if not isinstance(value, int | float):
            raise GateError(f"bound {key!r} is not a number: {value!r}")
    return bounds


def measured(results: dict[str, Any]) -> dict[tuple[str, str], dict[str, float | None]]:
    """stripper's metrics in `bench.quality.results_json` output, keyed as the floors."""
    values: dict[tuple[str, str], dict[str, float | None]] = {}
    for row in results["quality"]:
        if row["system"] != SYSTEM:
            continue
        leaks = {
            f"{part}_leak": leak["hit"] / leak["total"]
            for part, leak in (row.get("leak") or {}).items()
            if leak["total"]
        }
        metrics = {"f1": row["f1"], "precision": row["precision"], "recall": row["recall"]}
        values[(row["corpus"], row["mode"])] = metrics | leaks
    for row in results["snippets"]:
        if row["system"] != SYSTEM:
            continue
        values[(row["corpus"], f"{SNIPPETS}.{row['lang']}")] = {
            "keep": row["kept"] / row["n_keep"] if row["n_keep"] else None,
            "drop": row["dropped"] / row["n_drop"] if row["n_drop"] else None,
        }
    return values


def failures(results: dict[str, Any], floors: Floors) -> list[str]:
    """One line for every bound the results miss, or do not measure."""
    found = measured(results)
    missed = []
    for (corpus, section), bounds in floors.items():
        for key, bound in bounds.items():
            direction, _, metric = key.partition("_")
            value = found.get((corpus, section), {}).get(metric)
            where = f"{corpus} {section} {metric}"
            if value is None:
                missed.append(f"{where}: not measured (floor {bound})")
            elif direction == "min" and value < bound:
                missed.append(f"{where} {value:.4f} is below its floor {bound}")
            elif direction == "max" and value > bound:
                missed.append(f"{where} {value:.4f} is above its ceiling {bound}")
    return missed
