"""Turn raw text of any line layout into paragraph blocks with input offsets.

Three layouts are told apart: one paragraph a line, paragraphs separated by blank
lines, and hard-wrapped paragraphs (lines broken at a fixed width). Hard-wrapped
lines are joined back into paragraphs, and so are the pieces of a sentence that a
renderer broke at its inline elements (BeautifulSoup's `get_text("\\n")` puts every
link on a line of its own); nothing else about the text changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from stripper.document import Block
from stripper.markdown import plain
from stripper.text import EDGE_SPACE, UNSPACED, Ending, clean_edges, ending, first_word

# A wrapped document's lines fill a width; one-paragraph-a-line text does not.
MIN_WRAP_WIDTH = 30
MAX_WRAP_WIDTH = 160
MIN_WRAPPED_SHARE = 0.8
MIN_WRAP_CANDIDATES = 3
MIN_MID_SENTENCE_SHARE = 0.5
# A table row as extractors write it ("| cell | cell |"): its outer borders and empty
# edge cells say nothing about the content, and hide how the content ends.
TABLE_BORDER = "|"
# Aligned columns and indented code: their lines are never pieces of one sentence.
PREFORMATTED = re.compile(r"\s{3}|\t")
# How a line ends that a sentence goes on from: a word, a comma, a closing quote.
GOES_ON = re.compile(r"[\w,;:\"\u2019\u201d)]")
# How a line opens that ends the word or sentence before it (", and more", "\u2019s",
# "."), but not a bullet (". Item", "» Item") nor an image ("![...](...)").
CLOSING = re.compile(r"[,;:)\]}\u2019\u201d]|[.!?\u2026]+(?=[\"\u2019\u201d)\]]|\s*$)")


@dataclass(slots=True)
class Line:
    text: str  # edges cleaned
    start: int
    end: int
    number: int  # 1-based
    # One space before or after the text: a sentence broken at an inline element keeps
    # the space around the element at the break ("by \n<name>\n on \n<date>").
    spaced_before: bool = False
    spaced_after: bool = False
    inline: bool = False  # may be a piece of a sentence: no table row, not preformatted


def split_lines(source: str) -> list[Line]:
    """Every line of the input, with offsets of its cleaned text (any line break)."""
    lines = []
    offset = 0
    for number, raw in enumerate(source.splitlines(keepends=True), start=1):
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        cleaned = clean_edges(body)
        text = _without_borders(cleaned)
        start = offset + body.find(text) if text else offset
        line = Line(text, start, start + len(text), number)
        if text and text == cleaned and not _preformatted(text):
            line.inline = True
            line.spaced_before = body[0] == " " and body[1] == text[0]
            line.spaced_after = body[-1] == " " and body[-2] == text[-1]
        lines.append(line)
        offset += len(raw)
    return lines


def _preformatted(text: str) -> bool:
    # Most lines hold neither two spaces nor other white space: no search for them.
    others = "  " in text or "\t" in text or not text.isascii()
    return others and PREFORMATTED.search(text) is not None


def _without_borders(text: str) -> str:
    """A table row's cells without its outer borders; a row of empty cells is blank."""
    if text.startswith(TABLE_BORDER) and text.endswith(TABLE_BORDER):
        return clean_edges(text.strip(TABLE_BORDER + EDGE_SPACE))
    return text


def _groups(lines: list[Line]) -> list[list[Line]]:
    """Runs of non-blank lines between blank lines."""
    groups: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.text:
            current.append(line)
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _is_full(line: Line, following: Line, width: int) -> bool:
    """The next line's first word would not have fitted: the break is a wrap."""
    return len(line.text) + 1 + len(first_word(following.text)) > width - 2


def _wrap_width(groups: list[list[Line]]) -> int | None:
    """The width the text was wrapped at, or None when it was not wrapped."""
    inner = [(g[i], g[i + 1]) for g in groups for i in range(len(g) - 1)]
    # Without a blank line, wrapped text and short one-line paragraphs cannot be told
    # apart reliably (and removing a line could change the verdict): never join.
    if len(groups) < 2 or len(inner) < MIN_WRAP_CANDIDATES:
        return None
    width = max(len(line.text) for g in groups if len(g) > 1 for line in g)
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return None
    full = sum(_is_full(a, b, width) for a, b in inner)
    # Wrapping breaks lines mid-sentence; one paragraph a line ends them with a stop.
    mid_sentence = sum(ending(a.text) is not Ending.SENTENCE for a, _ in inner)
    if full < MIN_WRAPPED_SHARE * len(inner) or mid_sentence < MIN_MID_SENTENCE_SHARE * len(inner):
        return None
    return width


def _join(parts: list[Line]) -> str:
    text = parts[0].text
    for before, line in pairwise(parts):
        if CLOSING.match(line.text) and not (before.spaced_after or line.spaced_before):
            text += line.text  # the rest of a word or sentence after an inline element
        elif text.endswith("-") and len(text) > 1 and text[-2].isalpha():
            text += line.text  # a word hyphenated across the break
        elif UNSPACED.match(text[-1]) and UNSPACED.match(line.text[0]):
            text += line.text  # Chinese and Japanese put no space between words
        else:
            text += " " + line.text
    return text


def _block(parts: list[Line]) -> Block:
    # Judged by its plain words, the paragraph as one line (as its output reads back).
    written = _join(parts)
    words = plain(written)
    return Block(
        text=words,
        start=parts[0].start,
        end=parts[-1].end,
        first_line=parts[0].number,
        last_line=parts[-1].number,
        markup=None if words == written else written,
    )


def _continues(line: Line, following: Line) -> bool:
    """The break between the two lines falls inside a sentence, at an inline element."""
    if not (line.inline and following.inline and GOES_ON.match(line.text[-1])):
        return False
    if CLOSING.match(following.text) and not following.spaced_before:
        return True
    spaced = line.spaced_after or following.spaced_before
    return spaced and ending(line.text) is not Ending.SENTENCE


def reads_as_one(text: str, following: str) -> bool:
    """Whether `segment` would read the two lines as pieces of one sentence."""
    line, next_line = split_lines(f"{text}\n{following}")
    return _continues(line, next_line)


def _sentence_pieces(group: list[Line]) -> list[list[Line]]:
    """The lines of `group`, the pieces of one sentence together."""
    parts = [[group[0]]]
    for line in group[1:]:
        if _continues(parts[-1][-1], line):
            parts[-1].append(line)
        else:
            parts.append([line])
    return parts


def segment(source: str) -> tuple[list[Block], str]:
    """The paragraphs of `source`, and the separator to join kept ones with."""
    groups = _groups(split_lines(source))
    width = _wrap_width(groups)
    blocks: list[Block] = []
    for group in groups:
        if width is None:
            blocks.extend(_block(part) for part in _sentence_pieces(group))
            continue
        paragraph = [group[0]]
        for line in group[1:]:
            if _is_full(paragraph[-1], line, width):
                paragraph.append(line)
            else:
                blocks.append(_block(paragraph))
                paragraph = [line]
        blocks.append(_block(paragraph))
    blank_breaks = len(groups) - 1
    line_breaks = sum(len(g) - 1 for g in groups)
    # Joined paragraphs go out one a blank-line block, so the output reads back the same.
    blank_style = width is not None or (blank_breaks > 0 and blank_breaks >= line_breaks)
    return blocks, "\n\n" if blank_style else "\n"
