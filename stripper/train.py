"""Training data from pages with gold text: render, segment, align, label.

Each page is rendered to raw text the ways scrapers do, split into blocks by the
same layout step the pipeline uses, and every block is labelled content or chrome
by aligning the gold text to the page text in order (a token sequence alignment:
a bag of words would call a menu item such as "Tennis" content whenever the word
also occurs in the story).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from pathlib import Path

from stripper.layout import segment

TOKEN = re.compile(r"\w+")
# An aligned run shorter than this is chance agreement of common words, unless it
# covers a short block whole (a heading).
MIN_RUN = 3
CONTENT_SHARE = 0.5


def is_held_out(record_id: str) -> bool:
    """The fifth of a corpus kept back from training, to measure on: fixed by the id."""
    return int(hashlib.sha1(record_id.encode("utf-8")).hexdigest(), 16) % 5 == 0


def read_corpus(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def align_labels(blocks: list[str], gold: str) -> list[bool]:
    """For each block, True when most of its tokens align to the gold text in order."""
    page_tokens: list[str] = []
    owner: list[int] = []
    for index, text in enumerate(blocks):
        tokens = [t.lower() for t in TOKEN.findall(text)]
        page_tokens += tokens
        owner += [index] * len(tokens)
    gold_tokens = [t.lower() for t in TOKEN.findall(gold)]
    matched = [0] * len(blocks)
    sizes = [0] * len(blocks)
    for index in owner:
        sizes[index] += 1
    matcher = SequenceMatcher(None, page_tokens, gold_tokens, autojunk=False)
    for start, _, size in matcher.get_matching_blocks():
        for position in range(start, start + size):
            index = owner[position]
            if size >= MIN_RUN or size >= sizes[index]:
                matched[index] += 1
    return [sizes[i] > 0 and matched[i] >= CONTENT_SHARE * sizes[i] for i in range(len(blocks))]


def page_blocks(text: str) -> list[str]:
    blocks, _ = segment(text)
    return [b.text for b in blocks]
