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
from re import _constants, _parser  # internal to `re`: to see what a pattern needs

RULES_PACKAGE = "stripper.data.rules"


@dataclass(slots=True, frozen=True)
class Pattern:
    kind: str
    language: str
    source: str
    regex: re.Pattern[str]


# The characters outside ASCII that IGNORECASE matches to ASCII letters (Kelvin sign,
# long s, dotless and dotted i); a test checks the list against every code point.
ASCII_LOOKALIKES = "\u212a\u017f\u0131\u0130"
ASCII = tuple(map(chr, range(128)))
# A pattern that may start anywhere is tried only on lines holding a piece of plain
# text of at least this length that every match of it holds (a character of a script
# without case, Chinese, Japanese or Korean, counts twice: see _required_text).
MIN_REQUIRED_TEXT = 4


@dataclass(slots=True, frozen=True)
class PatternSet:
    """Patterns tried together; the first whole-line match names the rule that fired.

    Python's regex engine tries every alternative of a pattern in turn, and most lines
    match none. So a line starting in ASCII is tried on the patterns that may start
    with its first character, on those that may start anywhere and need no particular
    text, and on those that do whose text it holds (`... all rights reserved`).
    """

    patterns: tuple[Pattern, ...]
    by_first: dict[str, re.Pattern[str]]  # lower-case ASCII character -> its patterns
    anywhere: re.Pattern[str] | None  # the patterns that may start anywhere
    needing: tuple[tuple[str, Pattern], ...]  # (lower-case text it needs, pattern)
    everything: re.Pattern[str] | None  # every pattern, for lines not starting in ASCII

    @classmethod
    def build(cls, patterns: list[Pattern]) -> PatternSet:
        groups: dict[str, list[Pattern]] = {}
        anywhere, needing = [], []
        for pattern in patterns:
            parsed = _parsed(pattern.regex)
            start = _first_characters(parsed) if parsed is not None else None
            needed = _required_text(parsed) if parsed is not None else None
            if start is not None:
                for character in start:
                    groups.setdefault(character, []).append(pattern)
            elif needed is not None:
                needing.append((needed, pattern))
            else:
                anywhere.append(pattern)
        by_first = {character: _combine(group) for character, group in groups.items()}
        everything = _combine(patterns)
        return cls(tuple(patterns), by_first, _combine(anywhere), tuple(needing), everything)

    def match(self, text: str) -> Pattern | None:
        # Combined passes reject most lines; only a hit is traced to its pattern.
        if not any(regex.fullmatch(text) for regex in self._candidates(text)):
            return None
        return next(p for p in self.patterns if p.regex.fullmatch(text))

    def _candidates(self, text: str) -> list[re.Pattern[str]]:
        first = text[:1].lower()
        if not first.isascii():
            candidates = [self.everything]
        else:
            candidates = [self.by_first.get(first), self.anywhere]
            if self.needing:
                lowered = text.lower()
                lookalike = any(c in text for c in ASCII_LOOKALIKES)
                candidates += [
                    p.regex for needed, p in self.needing if lookalike or needed in lowered
                ]
        return [regex for regex in candidates if regex is not None]


def _combine(patterns: list[Pattern] | tuple[Pattern, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.source})" for p in patterns), re.IGNORECASE)


def _parsed(regex: re.Pattern[str]) -> list | None:
    """The regex as `re` parses it; None where it cannot (the parser is internal to
    `re`, and a change to it must never break the rules: they are then all tried)."""
    try:
        return list(_parser.parse(regex.pattern, regex.flags))
    except Exception:
        return None


def _first_characters(items: list) -> frozenset[str] | None:
    """The lower-case ASCII characters that a line starting in ASCII and matching the
    parsed regex can start with; None where it may start with any or it cannot be told.
    (Lines starting outside ASCII are tried on every pattern.)"""
    found = _starts(items)
    if found is None:
        return None
    ascii_found = {c for c in found if c.isascii()}
    for other in found - ascii_found:  # under IGNORECASE a few match ASCII letters
        ascii_found.update(a for a in ASCII if re.fullmatch(re.escape(other), a, re.IGNORECASE))
    return frozenset(c.lower() for c in ascii_found)


# The ASCII characters of the classes \d, \s and \w.
_CATEGORIES = {
    _constants.CATEGORY_DIGIT: {c for c in ASCII if c.isdigit()},
    _constants.CATEGORY_SPACE: {c for c in ASCII if c.isspace()},
    _constants.CATEGORY_WORD: {c for c in ASCII if c.isalnum() or c == "_"},
}


def _starts(items: list) -> set[str] | None:
    """The characters a sequence of parsed regex items can start with (None: any), as
    far as lines starting in ASCII go: a class's characters outside ASCII are left out."""
    found: set[str] = set()
    for op, arg in items:
        if op is _constants.AT:  # ^, \b: zero width
            continue
        if op is _constants.LITERAL:
            return found | {chr(arg)}
        if op is _constants.IN:
            members = _members(arg)
            return None if members is None else found | members
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


def _members(items: list) -> set[str] | None:
    """The characters of a class `[...]`: its literals, the ASCII part of its ranges and
    and of the classes of digits, spaces and word characters; None for a negated class
    or any other part."""
    members: set[str] = set()
    for kind, arg in items:
        if kind is _constants.LITERAL:
            members.add(chr(arg))
        elif kind is _constants.RANGE and arg[1] < 128:
            members.update(map(chr, range(arg[0], arg[1] + 1)))
        elif kind is _constants.CATEGORY and arg in _CATEGORIES:
            members |= _CATEGORIES[arg]
        else:
            return None
    return members


def _required_text(items: list) -> str | None:
    """The most telling run of plain characters every match of the parsed regex holds
    (lower case), where one holds at least MIN_REQUIRED_TEXT ASCII characters or half as
    many of a script without case (a Chinese, Japanese or Korean character is a word or
    a syllable). Other letters are left out: their case under IGNORECASE is not always
    what `str.lower` gives."""
    runs, run = [], []
    for op, arg in items:
        if op is _constants.LITERAL and _plain(chr(arg)):
            run.append(chr(arg).lower())
        elif op is not _constants.AT:  # \b inside a run takes no character
            runs.append("".join(run))
            run = []
    runs.append("".join(run))
    longest = max(runs, key=_weight)
    return longest if _weight(longest) >= MIN_REQUIRED_TEXT else None


def _plain(character: str) -> bool:
    return character.isascii() or character.lower() == character.upper() == character


def _weight(text: str) -> int:
    return sum(1 if character.isascii() else 2 for character in text)


@dataclass(slots=True, frozen=True)
class Rules:
    section_markers: PatternSet  # every marker, the comment headings among them
    comment_headings: PatternSet
    inline_chrome: PatternSet
    long_lines: PatternSet  # tried on lines of any length
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


def _grouped(rules: dict, languages: frozenset[str] | None) -> list[Pattern]:
    """The patterns of a file grouped by kind (its tables), then by language."""
    return [
        pattern
        for kind, table in rules.items()
        if isinstance(table, dict)
        for pattern in _patterns(table, kind, languages)
    ]


@cache
def load_rules(languages: frozenset[str] | None = None) -> Rules:
    """The rule files, compiled; `languages` limits them (None: every language)."""
    markers = _read("section_markers.toml")
    metadata = _read("metadata.toml")
    headings = _patterns(markers["comment_headings"], "comment_heading", languages)
    return Rules(
        section_markers=PatternSet.build(
            _patterns(markers["markers"], "section_marker", languages) + headings
        ),
        comment_headings=PatternSet.build(headings),
        inline_chrome=PatternSet.build(_grouped(_read("inline_chrome.toml"), languages)),
        long_lines=PatternSet.build(_grouped(_read("long_lines.toml"), languages)),
        date_prefix=re.compile(metadata["date_prefix"]["pattern"], re.IGNORECASE),
    )


_COUNT = re.compile(r"[(\[]\s*\d+\s*[)\]]|^\d+\s+|\s+\d+$")
_DECORATION = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"\s+")


def marker_key(text: str) -> str:
    """A line as section markers are matched: lower case, no counts or decoration."""
    key = _COUNT.sub(" ", text.casefold().strip())
    return _SPACES.sub(" ", _DECORATION.sub("", key)).strip()
