"""Language-independent evidence about each block, for the learned model.

Every feature is a number computed from the text alone (length, punctuation,
character classes, special tokens, the share of the page language's stop words)
or from the block's place among the others (position, neighbours, repetition),
so one model serves pages in any language. The training pages are English; none
of these features names an English word.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain, islice
from operator import itemgetter

import justext
import numpy as np

from stripper.text import (
    CACHED_TEXTS,
    UNSPACED,
    Ending,
    ending,
    is_list_item,
    lower_tokens,
    word_count,
)

URL = re.compile(r"https?://|www\.|\.(com|org|net|html?)\b", re.I)
HANDLE = re.compile(r"(^|\s)[@#]\w+")
# Numeric dates and times are the same in every language; month names are not
# matched, the digit and separator shape carries the evidence.
DATE = re.compile(r"\b(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})\b")
TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
SEPARATORS = re.compile(r"[|•·»›>/]")
SENTENCE_MARKS = ".!?。！？"
# Prose in the block's own terms: enough words and a full stop.
PROSE_WORDS = 10
# Stop words are looked up in the first tokens of a page only: enough to tell its language.
DETECT_TOKENS = 1500

OWN = (
    "log_words",
    "log_chars",
    "ends_sentence",
    "ends_ellipsis",
    "ends_colon",
    "ends_open",
    "sentences",
    "stop_rate",
    "comma_rate",
    "digit_rate",
    "upper_rate",
    "title_word_rate",
    "punct_rate",
    "short_token_rate",
    "mean_token_chars",
    "has_url",
    "has_handle",
    "has_date",
    "has_time",
    "separators",
    "starts_lower",
    "list_item",
    "short",
    "repeated",
    "link_share",
)
# The first NEIGHBOUR_OWN own features are also given for the blocks around.
NEIGHBOUR_OWN = 9
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)
CONTEXT = (
    "position",
    "word_position",
    "dist_first_prose",
    "dist_last_prose",
    "after_last_prose",
    "before_first_prose",
    "prose_share_window",
    "log_words_window",
    "stop_rate_window",
    "share_of_longest",
    "non_prose_run",
    "nearest_prose",
    "page_prose_share",
    "link_share_window",
)
# The second pass reads the first pass's scores around each block.
SCORE_WINDOWS = (1, 2, 3, 5, 10)
SCORES = (
    "score",
    "in_best_region",
    "dist_best_region",
    *(f"score_window_{k}" for k in SCORE_WINDOWS),
    "score_prev",
    "score_next",
    "score_before",
    "score_after",
    "page_mean_score",
    "page_low_share",
    "cohesion",
    "lead_cohesion",
    "cohesion_window",
    "no_content_words",
)
# The link share of a block whose input does not tell (text): apart from every share.
UNKNOWN_LINK_SHARE = -1.0
# Blocks that open the article region: its headline and lead, for `lead_cohesion`.
LEAD_BLOCKS = 3


def names() -> list[str]:
    """Feature names of the first pass, in column order."""
    neighbours = [f"{n}@{o:+d}" for o in NEIGHBOUR_OFFSETS for n in OWN[:NEIGHBOUR_OWN]]
    return [*OWN, *CONTEXT, *neighbours]


def second_pass_names() -> list[str]:
    return [*names(), *SCORES]


@dataclass(frozen=True, slots=True)
class StopTable:
    """jusText's stop-word lists (100 languages), compact: every word's hash, sorted, and
    per word the languages whose list has it, as bits. Word strings in a dict cost 24 MB
    a process; the one list a page asks for is read again when it does."""

    languages: list[str]
    hashes: np.ndarray  # [word] the word's str hash, ascending
    member: np.ndarray  # [word, language] bits, packed as np.packbits packs them


@cache
def _stop_words() -> StopTable:
    languages = sorted(justext.get_stoplists())
    member: dict[int, int] = {}  # word hash -> language bits, the first language highest
    for language, name in enumerate(languages):  # one list in memory at a time
        bit = 1 << (len(languages) - 1 - language)
        for word in justext.get_stoplist(name):
            key = hash(word)
            member[key] = member.get(key, 0) | bit
    hashes = np.array(sorted(member), dtype=np.int64)
    # np.packbits' layout: the first language is the top bit of the first byte.
    width = (len(languages) + 7) // 8
    pad = width * 8 - len(languages)
    packed = b"".join((member[key] << pad).to_bytes(width) for key in hashes.tolist())
    bits = np.frombuffer(packed, dtype=np.uint8).reshape(len(hashes), width)
    return StopTable(languages, hashes, bits)


@lru_cache(maxsize=8)
def _stop_list(language: int) -> frozenset[str]:
    return frozenset(justext.get_stoplist(_stop_words().languages[language]))


def page_stop_words(texts: list[str]) -> frozenset[str]:
    """The stop-word list of the page's language: the one its first tokens hit most."""
    table = _stop_words()
    tokens = chain.from_iterable(_shape(text)[0] for text in texts)
    keys = np.fromiter(map(hash, islice(tokens, DETECT_TOKENS)), np.int64)
    at = np.minimum(np.searchsorted(table.hashes, keys), len(table.hashes) - 1)
    found = at[table.hashes[at] == keys]  # in token order
    # [stop word in the page, language]
    hit = np.unpackbits(table.member[found], axis=1, count=len(table.languages))
    hits = np.count_nonzero(hit, axis=0)
    if not hits.any():
        return frozenset()
    # A tie goes to the language hit first (then the lower index), as it always has.
    first_hit = hit.argmax(axis=0)
    tied = np.flatnonzero(hits == hits.max()).tolist()
    return _stop_list(min(tied, key=lambda language: (first_hit[language], language)))


CHARACTER_CLASSES = (str.isalpha, str.isalnum, str.isspace, str.isdigit, str.isupper)
# The ASCII characters of each class, for counting them in one C call.
ASCII_CLASSES = tuple(
    bytes(code for code in range(128) if test(chr(code))) for test in CHARACTER_CLASSES
)
ASCII_RUNS = re.compile(r"[\x00-\x7f]+")


def _class_counts(text: str) -> list[int]:
    """How many characters of the text pass each test of `CHARACTER_CLASSES`."""
    ascii_part = text.encode("ascii", "ignore")
    counts = [len(ascii_part) - len(ascii_part.translate(None, chars)) for chars in ASCII_CLASSES]
    if len(ascii_part) < len(text):  # the few other characters are tested one by one
        others = ASCII_RUNS.sub("", text)
        tests = zip(counts, CHARACTER_CLASSES, strict=True)
        counts = [n + sum(map(test, others)) for n, test in tests]
    return counts


@lru_cache(maxsize=2 * CACHED_TEXTS)  # each entry holds the block's tokens
def _shape(text: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """A block's lower-cased tokens and the features of its text alone.

    Cached: the fixed-point loop scores a page's blocks several times, and a site's
    menus and footers recur on page after page.
    """
    tokens = tuple(lower_tokens(text))
    words = word_count(text)
    chars = len(text) or 1
    end = ending(text)
    n_tokens = len(tokens) or 1
    token_lengths = sorted(map(len, tokens))
    letters, alnum, spaces, digits, upper = _class_counts(text)
    spaced = text.split()
    shape = (
        math.log1p(words),
        math.log1p(len(text)),
        float(end is Ending.SENTENCE),
        float(end is Ending.ELLIPSIS),
        float(end is Ending.COLON),
        float(end is Ending.OPEN),
        min(sum(map(text.count, SENTENCE_MARKS)), 20) / 20,
        text.count(",") / max(words, 1),
        digits / chars,
        upper / (letters or 1),
        sum(map(str.isupper, map(itemgetter(0), spaced))) / max(len(spaced), 1),
        (len(text) - alnum - spaces) / chars,
        bisect_right(token_lengths, 3) / n_tokens,
        min(sum(token_lengths) / n_tokens, 20) / 20,
        float(bool(URL.search(text))),
        float(("@" in text or "#" in text) and bool(HANDLE.search(text))),
        # Dates and times need a digit; most blocks have none, and skip the search.
        float(bool(digits and DATE.search(text))),
        float(bool(digits and TIME.search(text))),
        min(len(SEPARATORS.findall(text)), 5) / 5,
        float(text[:1].islower()),
        float(is_list_item(text)),
        float(words <= 4),
    )
    return tokens, shape


def _own(
    shape: tuple[float, ...],
    tokens: tuple[str, ...],
    stop: frozenset[str],
    repeated: bool,
    link_share: float,
) -> list[float]:
    """The block's own features in `OWN` order: its shape plus what depends on the page."""
    stop_rate = sum(map(stop.__contains__, tokens)) / (len(tokens) or 1)
    return [*shape[:7], stop_rate, *shape[7:], float(repeated), link_share]


def _window_mean(values: np.ndarray, k: int) -> np.ndarray:
    """Mean of values[i-k .. i+k], clipped at the ends."""
    n = len(values)
    sums = np.concatenate(([0.0], np.cumsum(values)))
    index = np.arange(n)
    lo, hi = np.maximum(index - k, 0), np.minimum(index + k + 1, n)
    return (sums[hi] - sums[lo]) / (hi - lo)


def _shifted(matrix: np.ndarray, offset: int) -> np.ndarray:
    """Row i holds row i+offset, zeros past either end."""
    out = np.zeros_like(matrix)
    if offset > 0:
        out[:-offset] = matrix[offset:]
    else:
        out[-offset:] = matrix[:offset]
    return out


def block_features(
    texts: list[str], stop: frozenset[str], link_shares: list[float | None] | None = None
) -> np.ndarray:
    """One row per block, columns in the order of `names()`; `stop` is
    `page_stop_words` of the page, `link_shares` the share of each block's characters
    that links hold, None where the input does not tell (text)."""
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(names())))
    shapes = [_shape(text) for text in texts]
    count = Counter(texts)
    # Unknown is not "no links": trained as 0, text lost what the model then learned
    # from HTML's linked lines (l3s F1 -0.011).
    shares = [UNKNOWN_LINK_SHARE if s is None else s for s in link_shares or [None] * n]
    own = np.array(
        [
            _own(shape, tokens, stop, count[text] > 1, share)
            for text, (tokens, shape), share in zip(texts, shapes, shares, strict=True)
        ]
    )
    words = np.expm1(own[:, 0])
    prose = (own[:, 2] == 1.0) & (words >= PROSE_WORDS)
    prose_at = np.flatnonzero(prose)
    index = np.arange(n, dtype=float)
    first, last = (prose_at[0], prose_at[-1]) if len(prose_at) else (n, -1)
    total_words = words.sum() or 1.0
    stop_rates = own[:, OWN.index("stop_rate")]
    context = np.column_stack(
        [
            index / max(n - 1, 1),
            (np.cumsum(words) - words) / total_words,
            np.tanh((index - first) / 10) if len(prose_at) else np.zeros(n),
            np.tanh((last - index) / 10) if len(prose_at) else np.zeros(n),
            index > last,
            index < first,
            _window_mean(prose.astype(float), 3),
            np.log1p(_window_mean(words, 3) * 7),
            _window_mean(stop_rates, 3),
            words / max(words.max(), 1.0),
            np.log1p(_non_prose_runs(prose)),
            np.tanh(_nearest(prose_at, n) / 3),
            # No page size nor the page's share of stop words: with them the model took
            # a long article's later paragraphs for a big page's comments (measured).
            np.full(n, prose.mean()),
            # A menu or a list of other stories is a run of linked lines.
            _window_mean(own[:, OWN.index("link_share")], 2),
        ]
    )
    head = own[:, :NEIGHBOUR_OWN]
    neighbours = [_shifted(head, offset) for offset in NEIGHBOUR_OFFSETS]
    return np.hstack([own, context, *neighbours])


def _non_prose_runs(prose: np.ndarray) -> np.ndarray:
    """For each block not prose, how many such blocks in a row it stands in (0 for prose):
    a subheading stands alone between paragraphs, a list of headlines runs long."""
    runs = np.zeros(len(prose))
    start = 0
    for end in [*np.flatnonzero(prose).tolist(), len(prose)]:
        runs[start:end] = end - start
        start = end + 1
    return runs


def _nearest(prose_at: np.ndarray, n: int) -> np.ndarray:
    """Each block's distance in blocks to the nearest prose (n where there is none)."""
    if not len(prose_at):
        return np.full(n, float(n))
    index = np.arange(n)
    after = np.searchsorted(prose_at, index).clip(max=len(prose_at) - 1)
    before = (after - 1).clip(min=0)
    distance = np.minimum(np.abs(prose_at[after] - index), np.abs(index - prose_at[before]))
    return distance.astype(float)


def _best_region(scores: np.ndarray) -> tuple[int, int]:
    """The run of blocks whose scores, less one half, sum highest: the article's region."""
    best, best_start, best_end = -math.inf, 0, -1
    running, start = 0.0, 0
    for i, value in enumerate(scores - 0.5):
        if running <= 0:
            running, start = value, i
        else:
            running += value
        if running > best:
            best, best_start, best_end = running, start, i
    return best_start, best_end


def content_words(texts: list[str], stop: frozenset[str]) -> list[frozenset[str]]:
    """Each block's words that carry its topic: no stop words, numbers or short tokens.

    Scripts without spaces give whole clauses as tokens, so their characters are
    compared in pairs instead.
    """
    return [_content_words(text, stop) for text in texts]


@lru_cache(maxsize=CACHED_TEXTS)  # every pass of the model asks again of the same blocks
def _content_words(text: str, stop: frozenset[str]) -> frozenset[str]:
    found = set()
    for token in _shape(text)[0]:
        if UNSPACED.search(token):
            found.update(token[i : i + 2] for i in range(len(token) - 1))
        elif len(token) > 2 and token not in stop and not token.isdigit():
            found.add(token)
    return frozenset(found)


def _cohesion(
    texts: list[str], stop: frozenset[str], core: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How much of each block's topic the article's core blocks share, and its lead shares.

    Another story appended to the page (a teaser, a headline list) brings new
    names and topics; the story's own paragraphs repeat its words. A block's own
    words are not counted as shared with itself.
    """
    words = content_words(texts, stop)
    core_at = np.flatnonzero(core)
    in_core: Counter[str] = Counter()
    for i in core_at:
        in_core.update(words[i])
    lead_at = set(core_at[:LEAD_BLOCKS].tolist())
    in_lead: Counter[str] = Counter()
    for i in lead_at:
        in_lead.update(words[i])
    # A word is shared when a block other than this one has it: any core block's word
    # for a block outside the core, a word of two or more core blocks for one inside.
    core_words = (in_core.keys(), {w for w, count in in_core.items() if count > 1})
    lead_words = (in_lead.keys(), {w for w, count in in_lead.items() if count > 1})
    n = len(texts)
    cohesion, lead, empty = np.zeros(n), np.zeros(n), np.zeros(n)
    for i, (own, is_core) in enumerate(zip(words, core.tolist(), strict=True)):
        if not own:
            empty[i] = 1.0
            continue
        cohesion[i] = len(own & core_words[is_core]) / len(own)
        lead[i] = len(own & lead_words[i in lead_at]) / len(own)
    return cohesion, lead, empty


def score_features(
    first: np.ndarray, scores: np.ndarray, texts: list[str], stop: frozenset[str]
) -> np.ndarray:
    """Second-pass rows: the first pass's features plus its scores around each block,
    and how each block's words cohere with the article's core."""
    n = len(scores)
    index = np.arange(n)
    start, end = _best_region(scores)
    core = (scores >= 0.5) & (index >= start) & (index <= end)
    cohesion, lead, empty = _cohesion(texts, stop, core)
    distance = np.where(index < start, start - index, np.where(index > end, index - end, 0))
    sums = np.concatenate(([0.0], np.cumsum(scores)))
    before = np.where(index > 0, sums[index] / np.maximum(index, 1), 0.0)
    after_count = n - index - 1
    after = np.where(after_count > 0, (sums[n] - sums[index + 1]) / np.maximum(after_count, 1), 0.0)
    columns = [
        scores,
        (distance == 0).astype(float),
        np.tanh(distance / 5),
        *(_window_mean(scores, k) for k in SCORE_WINDOWS),
        _shifted(scores[:, None], -1)[:, 0],
        _shifted(scores[:, None], 1)[:, 0],
        before,
        after,
        # How clean the page looks as a whole: an already clean article keeps its
        # borderline blocks, a page full of chrome loses them.
        np.full(n, scores.mean()),
        np.full(n, (scores < 0.5).mean()),
        cohesion,
        lead,
        _window_mean(cohesion, 2),
        empty,
    ]
    return np.hstack([first, np.column_stack(columns)])
