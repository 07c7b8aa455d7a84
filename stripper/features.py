"""Language-independent evidence about each block, for the learned model.

Every feature is a number computed from the text alone (length, punctuation,
character classes, special tokens) or from the block's place among the others
(position, neighbours, repetition), so the same model serves any language.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from stripper.text import Ending, ending, word_count

URL = re.compile(r"https?://|www\.|\.(com|org|net|html?)\b", re.I)
HANDLE = re.compile(r"(^|\s)[@#]\w+")
DATE = re.compile(
    r"\b(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}|\d{1,2} "
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\b",
    re.I,
)
TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
SEPARATORS = re.compile(r"[|•·»›>/]")

OWN = (
    "log_words",
    "log_chars",
    "ends_sentence",
    "ends_ellipsis",
    "ends_colon",
    "ends_open",
    "sentences",
    "comma_rate",
    "digit_rate",
    "upper_rate",
    "title_word_rate",
    "punct_rate",
    "has_url",
    "has_handle",
    "has_date",
    "has_time",
    "separators",
    "starts_lower",
    "short",
    "repeated",
)
CONTEXT = (
    "position",
    "dist_first_prose",
    "dist_last_prose",
    "after_last_prose",
    "before_first_prose",
    "prose_share_window",
    "words_window",
)


def names() -> list[str]:
    window = [f"{name}@{offset}" for offset in (-2, -1, 1, 2) for name in OWN[:8]]
    return [*OWN, *CONTEXT, *window]


def _own(text: str, count: Counter[str]) -> list[float]:
    words = word_count(text)
    chars = len(text) or 1
    end = ending(text)
    tokens = text.split()
    letters = sum(c.isalpha() for c in text) or 1
    return [
        math.log1p(words),
        math.log1p(len(text)),
        float(end is Ending.SENTENCE),
        float(end is Ending.ELLIPSIS),
        float(end is Ending.COLON),
        float(end is Ending.OPEN),
        float(min(sum(text.count(c) for c in ".!?。！？"), 20)) / 20,
        text.count(",") / max(words, 1),
        sum(c.isdigit() for c in text) / chars,
        sum(c.isupper() for c in text) / letters,
        sum(t[:1].isupper() for t in tokens) / max(len(tokens), 1),
        sum(not c.isalnum() and not c.isspace() for c in text) / chars,
        float(bool(URL.search(text))),
        float(bool(HANDLE.search(text))),
        float(bool(DATE.search(text))),
        float(bool(TIME.search(text))),
        min(len(SEPARATORS.findall(text)), 5) / 5,
        float(text[:1].islower()),
        float(words <= 4),
        float(count[text] > 1),
    ]


def block_features(texts: list[str]) -> list[list[float]]:
    """One feature vector per block, in the order of `names()`."""
    n = len(texts)
    if n == 0:
        return []
    count = Counter(texts)
    own = [_own(t, count) for t in texts]
    prose = [o[2] == 1.0 and o[0] >= math.log1p(10) for o in own]
    prose_at = [i for i, p in enumerate(prose) if p]
    first = prose_at[0] if prose_at else n
    last = prose_at[-1] if prose_at else -1
    words = [math.expm1(o[0]) for o in own]
    rows = []
    blank = [0.0] * 8
    for i in range(n):
        lo, hi = max(0, i - 3), min(n, i + 4)
        window = [*range(lo, hi)]
        context = [
            i / max(n - 1, 1),
            math.tanh((i - first) / 10) if prose_at else 0.0,
            math.tanh((last - i) / 10) if prose_at else 0.0,
            float(i > last),
            float(i < first),
            sum(prose[j] for j in window) / len(window),
            math.log1p(sum(words[j] for j in window)),
        ]
        neighbours = []
        for offset in (-2, -1, 1, 2):
            j = i + offset
            neighbours += own[j][:8] if 0 <= j < n else blank
        rows.append([*own[i], *context, *neighbours])
    return rows
