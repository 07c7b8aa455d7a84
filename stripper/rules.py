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
from re import _constants, _parser  # internal to `re`: to see where a pattern may start

RULES_PACKAGE = "stripper.data.rules"


@dataclass(slots=True, frozen=True)
class Pattern:
    kind: str
    language: str
    source: str
    regex: re.Pattern[str]


@dataclass(slots=True, frozen=True)
class PatternSet:
    """Patterns tried together; the first whole-line match names the rule that fired.

    Python's regex engine tries every alternative of a pattern in turn, and most lines
    match none: so most patterns are grouped by the ASCII characters a match can start
    with, and a line is tried on its first character's group and on the patterns that
    may start anywhere.
    """

    patterns: tuple[Pattern, ...]
    anywhere: re.Pattern[str] | None  # the patterns whose first character is not known
    by_first: dict[str, re.Pattern[str]]  # lower-case ASCII character -> the others' group
    # Every pattern, for lines that do not start in ASCII: compiled when one comes.
    everything: dict[str, re.Pattern[str] | None]

    @classmethod
    def build(cls, patterns: list[Pattern]) -> PatternSet:
        starts = [_first_characters(p.regex) for p in patterns]
        anywhere = [p for p, s in zip(patterns, starts, strict=True) if s is None]
        groups: dict[str, list[Pattern]] = {}
        for pattern, start in zip(patterns, starts, strict=True):
            for character in start or ():
                groups.setdefault(character, []).append(pattern)
        by_first = {character: _combine(group) for character, group in groups.items()}
        return cls(tuple(patterns), _combine(anywhere), by_first, {})

    def match(self, text: str) -> Pattern | None:
        # Combined passes reject most lines; only a hit is traced to its pattern.
        first = text[:1].lower()
        if first.isascii():
            tried = (self.anywhere, self.by_first.get(first))
        else:
            if not self.everything:
                self.everything[""] = _combine(self.patterns)
            tried = (self.everything[""],)
        if not any(combined is not None and combined.fullmatch(text) for combined in tried):
            return None
        return next(p for p in self.patterns if p.regex.fullmatch(text))


def _combine(patterns: list[Pattern] | tuple[Pattern, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.source})" for p in patterns), re.IGNORECASE)


def _first_characters(regex: re.Pattern[str]) -> frozenset[str] | None:
    """The lower-case ASCII characters a match of `regex` must start with, or None
    where it may start with anything else (a class, a non-ASCII letter: under
    IGNORECASE some of those match ASCII ones) or where it cannot be told."""
    try:
        found = _starts(list(_parser.parse(regex.pattern, regex.flags)))
    except Exception:  # the parser is internal to `re`: never let it break the rules
        return None
    if found is None or any(not c.isascii() for c in found):
        return None
    return frozenset(c.lower() for c in found)


def _starts(items: list) -> set[str] | None:
    """The characters a sequence of parsed regex items can start with (None: any)."""
    found: set[str] = set()
    for op, arg in items:
        if op is _constants.AT:  # ^, \b: zero width
            continue
        if op is _constants.LITERAL:
            return found | {chr(arg)}
        if op is _constants.IN:
            if any(kind is not _constants.LITERAL for kind, _ in arg):
                return None
            return found | {chr(code) for _, code in arg}
        if op is _constants.SUBPATTERN:
            inner = _starts(list(arg[-1]))
            return None if inner is None else found | inner
        if op is _constants.BRANCH:
            alternatives = [_starts(list(alternative)) for alternative in arg[1]]
            if any(a is None for a in alternatives):
                return None
            return found.union(*alternatives)
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
            low, _, inner_items = arg
            inner = _starts(list(inner_items))
            if inner is None:
                return None
            found |= inner
            if low:
                return found
            continue  # may be absent: what follows may start the match too
        return None
    return None  # the whole pattern may match nothing


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
