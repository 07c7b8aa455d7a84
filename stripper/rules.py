"""Chrome rules kept as data: load the TOML files under stripper/data/rules once.

Each file groups regular expressions by kind and language. A pattern matches a
whole line, never part of one, so prose that merely contains a word stays.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

RULES_PACKAGE = "stripper.data.rules"


@dataclass(slots=True, frozen=True)
class Pattern:
    kind: str
    language: str
    source: str
    regex: re.Pattern[str]


@dataclass(slots=True, frozen=True)
class PatternSet:
    """Patterns tried together; the first whole-line match names the rule that fired."""

    patterns: tuple[Pattern, ...]
    combined: re.Pattern[str] | None

    @classmethod
    def build(cls, patterns: list[Pattern]) -> PatternSet:
        if not patterns:
            return cls((), None)
        combined = re.compile("|".join(f"(?:{p.source})" for p in patterns), re.IGNORECASE)
        return cls(tuple(patterns), combined)

    def match(self, text: str) -> Pattern | None:
        # One combined pass rejects most lines; only a hit is traced to its pattern.
        if self.combined is None or not self.combined.fullmatch(text):
            return None
        return next(p for p in self.patterns if p.regex.fullmatch(text))


@dataclass(slots=True, frozen=True)
class Rules:
    section_markers: PatternSet  # every marker, the comment headings among them
    comment_headings: PatternSet
    inline_chrome: PatternSet
    date_prefix: re.Pattern[str]


def _read(name: str) -> dict:
    with resources.files(RULES_PACKAGE).joinpath(name).open("rb") as handle:
        return tomllib.load(handle)


def _patterns(table: dict, kind: str, languages: frozenset[str] | None) -> list[Pattern]:
    return [
        Pattern(kind, language, source, re.compile(source, re.IGNORECASE))
        for language, sources in table.items()
        if languages is None or language in languages or language == "any"
        for source in sources
    ]


@cache
def load_rules(languages: frozenset[str] | None = None) -> Rules:
    """The rule files, compiled; `languages` limits them (None: every language)."""
    markers = _read("section_markers.toml")
    inline = _read("inline_chrome.toml")
    metadata = _read("metadata.toml")
    headings = _patterns(markers["comment_headings"], "comment_heading", languages)
    return Rules(
        section_markers=PatternSet.build(
            _patterns(markers["markers"], "section_marker", languages) + headings
        ),
        comment_headings=PatternSet.build(headings),
        inline_chrome=PatternSet.build(
            [
                pattern
                for kind, table in inline.items()
                if isinstance(table, dict)
                for pattern in _patterns(table, kind, languages)
            ]
        ),
        date_prefix=re.compile(metadata["date_prefix"]["pattern"], re.IGNORECASE),
    )


_COUNT = re.compile(r"[(\[]\s*\d+\s*[)\]]|^\d+\s+|\s+\d+$")
_DECORATION = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"\s+")


def marker_key(text: str) -> str:
    """A line as section markers are matched: lower case, no counts or decoration."""
    key = _COUNT.sub(" ", text.casefold().strip())
    return _SPACES.sub(" ", _DECORATION.sub("", key)).strip()
