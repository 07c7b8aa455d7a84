"""Language-independent measures of one paragraph: length, how it ends, its shape."""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

WORD = re.compile(r"\w+")
# Scripts written without spaces between words: a word count alone would call a
# whole Chinese paragraph one word, so their characters are counted as well.
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Characters a line may carry at either end that say nothing about its content:
# Unicode spaces, zero-width characters, the BOM and stray separators.
EDGE_SPACE = (
    "".join(chr(c) for c in range(0x2000, 0x200E))
    + " \t\u00a0\u1680\u2028\u2029\u202f\u205f\u2060\u3000\ufeff\x0b\x0c\x1c\x1d\x1e\x1f\x85"
)

SENTENCE_END = frozenset(".!?。！？‼⁉؟।")
CLOSERS = "\"'”’»«›)]}」』】〉》*_"
# A sentence ends inside the paragraph and the next begins: a sentence mark, white space
# and a letter that is not lower case (code has `a ? b : c`, prose has "it. The").
SENTENCE_BREAK = re.compile(r"[.!?।؟][\"'”’»)\]]*\s+[\"'“‘«(\[]*([^\W\d_])|[。！？]")
# A paragraph this long and of this many sentences is running text however it ends:
# a teaser is a lede of one or two sentences cut short.
LONG_RUNNING_WORDS = 80
LONG_RUNNING_SENTENCES = 3
ELLIPSES = ("...", "…", ". . .")
DASHES = frozenset("-–—―")
# The stages ask the same questions about a block on every pass of the pipeline's
# fixed-point loop, the model's features ask them again, and a site's menus and
# footers recur on page after page: answers are kept for this many recent texts
# (a few dozen pages; each cache holds its texts in memory, and four times as many
# held 200 MB more a process for no measurable speed).
CACHED_TEXTS = 1 << 12


class Ending(Enum):
    """How a paragraph ends, once closing quotes and brackets are set aside."""

    SENTENCE = "sentence"  # . ! ? and their counterparts in other scripts
    ELLIPSIS = "ellipsis"  # ... or …: usually a cut-off teaser
    COLON = "colon"  # introduces something that follows
    DASH = "dash"  # a dateline such as "Hong Kong —"
    OPEN = "open"  # ends on a word, digit or comma: a heading, label or cut-off text


def clean_edges(text: str) -> str:
    """Strip white space of every kind (including BOM and zero-width) from both ends."""
    return text.strip(EDGE_SPACE).strip()


def lower_tokens(text: str) -> list[str]:
    """The text's word tokens, lower-cased: what stop lists and alignments compare."""
    return list(map(str.lower, WORD.findall(text)))


@lru_cache(maxsize=CACHED_TEXTS)
def word_count(text: str) -> int:
    """Words, counting two characters of an unspaced script as one word."""
    unspaced = len(UNSPACED.findall(text))
    if not unspaced:
        return len(WORD.findall(text))
    spaced = len(WORD.findall(UNSPACED.sub(" ", text)))
    return spaced + (unspaced + 1) // 2


@lru_cache(maxsize=CACHED_TEXTS)
def ending(text: str) -> Ending:
    core = text.rstrip().rstrip(CLOSERS).rstrip()
    if not core:
        return Ending.OPEN
    if core.endswith(ELLIPSES):
        return Ending.ELLIPSIS
    last = core[-1]
    if last in SENTENCE_END:
        return Ending.SENTENCE
    if last in ":：":
        return Ending.COLON
    if last in DASHES:
        return Ending.DASH
    return Ending.OPEN


def is_prose(text: str, min_words: int) -> bool:
    """A paragraph of running text: long enough and ending a sentence, or so long
    and of so many sentences that where it stops does not matter (a whole article in
    one cell of a table layout, ending on "continued")."""
    if word_count(text) < min_words:
        return False
    end = ending(text)
    return end is Ending.SENTENCE or (end is Ending.OPEN and is_long_running(text))


def is_truncated(text: str, min_words: int) -> bool:
    """Running text that stops mid-sentence: the mark of a teaser."""
    if word_count(text) < min_words:
        return False
    end = ending(text)
    return end is Ending.ELLIPSIS or (end is Ending.OPEN and not is_long_running(text))


@lru_cache(maxsize=CACHED_TEXTS)
def is_long_running(text: str) -> bool:
    """Far longer than a teaser's lede, and many sentences long."""
    return (
        word_count(text) >= LONG_RUNNING_WORDS
        and sum(not next_letter.islower() for next_letter in SENTENCE_BREAK.findall(text))
        >= LONG_RUNNING_SENTENCES
    )


def is_short_line(text: str, max_words: int) -> bool:
    """A few words that do not end a sentence: a menu item, label or heading."""
    return word_count(text) <= max_words and ending(text) is not Ending.SENTENCE


LIST_ITEM = re.compile(r"([-*•·▪‣◦–]|\d{1,3}[.)]|[a-z][.)])\s")


def is_list_item(text: str) -> bool:
    """A bulleted or numbered item: part of a list in the article, not a menu."""
    return bool(LIST_ITEM.match(text))


def first_word(text: str) -> str:
    return text.split(maxsplit=1)[0] if text.strip() else ""
