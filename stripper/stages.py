"""The heuristic steps: one small class each, every removal with its reason.

A stage looks at the blocks still kept (`Document.live`) and removes some. Line
stages judge each block alone; context stages look at neighbours and positions,
so the pipeline re-runs them until none removes anything more. That fixed point
is what makes stripping twice the same as stripping once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import groupby, pairwise
from statistics import mean, median
from typing import Protocol

from stripper.config import Config
from stripper.document import Block, Document, Label, Reason, Removal
from stripper.features import content_words, page_stop_words
from stripper.model import Model
from stripper.profiles import MIN_EVIDENCE, SiteProfiles, line_key
from stripper.rules import Pattern, Rules, marker_key
from stripper.text import (
    CACHED_TEXTS,
    CLOSERS,
    SENTENCE_BREAK,
    Ending,
    ending,
    first_word,
    is_list_item,
    is_long_running,
    is_prose,
    is_short_line,
    is_truncated,
    word_count,
)

# Inline chrome is short; a long paragraph is never tried against the patterns.
MAX_INLINE_CHARS = 700
# Nor is a section marker (or a comment heading) ever a long line.
MAX_MARKER_CHARS = 80


class Stage(Protocol):
    name: str

    def apply(self, doc: Document) -> bool:
        """Remove what the stage finds; True when anything was removed."""
        ...


class InlineChrome:
    """Single lines that are never article text: captions, share lines, cookie notices,
    and at any length, an archive by month with its counts or a script's code."""

    name = "inline_chrome"

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        # A site's chrome lines recur on page after page: each short text is matched once.
        self.match_short = lru_cache(maxsize=CACHED_TEXTS)(self._match_short)

    def _match_short(self, text: str) -> Pattern | None:
        return self.rules.inline_chrome.match(text) or self.rules.long_lines.match(text)

    def match(self, text: str) -> Pattern | None:
        if len(text) > MAX_INLINE_CHARS:
            return self.rules.long_lines.match(text)
        return self.match_short(text)

    def apply(self, doc: Document) -> bool:
        blocks = doc.live()
        removed = [self.judge(blocks, at) for at in range(len(blocks))]
        return any(removed)

    def judge(self, blocks: list[Block], at: int) -> bool:
        """Remove `blocks[at]` if it is chrome; True when it was."""
        block = blocks[at]
        pattern = self.match(block.text)
        if not pattern or (
            pattern.kind == "breadcrumb" and _is_table_row(blocks, at, BREADCRUMB_CELL)
        ):
            return False
        rule = f"{pattern.kind}/{pattern.language}"
        block.remove(Label.CHROME, Reason(self.name, rule, pattern.source))
        return True


# How extractors (trafilatura, html2text) join a table row's cells; a breadcrumb's items
# are joined by a bare `|` too, so against breadcrumbs any `|` counts.
TABLE_CELL = " | "
BREADCRUMB_CELL = "|"


def _is_table_row(blocks: list[Block], at: int, separator: str) -> bool:
    """A line of cells joined by `separator` next to another with as many: a table's row
    (an extractor writes tables so). Its cells are not sentences: it is no breadcrumb,
    and no paragraph cut off mid-sentence."""
    cells = blocks[at].text.count(separator)
    neighbours = blocks[max(at - 1, 0) : at] + blocks[at + 1 : at + 2]
    return cells > 0 and any(block.text.count(separator) == cells for block in neighbours)


class DatePrefix:
    """A scraper's `date 2025-07-23 ` glued to the first paragraph moves to `date`."""

    name = "metadata"

    def __init__(self, rules: Rules, inline_chrome: InlineChrome) -> None:
        self.pattern = rules.date_prefix
        self.inline_chrome = inline_chrome

    def apply(self, doc: Document) -> bool:
        live = doc.live()
        if not live:
            return False
        block = live[0]
        match = self.pattern.match(block.text)
        if not match or not match.group("date"):
            return False
        doc.date = doc.date or match.group("date")
        reason = Reason(self.name, "date_prefix", match.group(0).strip())
        rest = block.text[match.end() :]
        if not rest:
            block.remove(Label.METADATA, reason)
            return True
        cut = block.start + match.end()
        doc.trims.append(Removal(block.start, cut, doc.source[block.start : cut], reason))
        block.text, block.start, block.markup = rest, cut, None
        # What follows the date is judged as any line is ("date 2025-07-23 Photo: EPA").
        self.inline_chrome.judge(live, 0)
        return True


# The rules of SectionMarkers for the lines below a marker; the marker's own rule is the
# language of its pattern.
UNDER_MARKER, LISTING_BELOW_MARKER = "under_marker", "listing_below_marker"
BELOW_MARKER = frozenset({UNDER_MARKER, LISTING_BELOW_MARKER})
# The lines that lead into a story's first paragraph: headline, byline, date.
LEAD_IN_LINES = 3


class SectionMarkers:
    """`Related Articles`, `Comments`, `Most Read`...: the marker and the block under it go.

    The block under a marker is every following line up to the next paragraph of
    running prose, where the article may resume; above the story's first paragraph it
    stops short of the lines that lead into it (a menu's `Comments` link is no section
    over the headline). When the story began above the marker and what follows to the
    end never has two prose paragraphs in a row (headline and lede items, comments
    between their bylines), all of it goes.
    """

    name = "section_marker"

    def __init__(self, rules: Rules, config: Config) -> None:
        self.patterns = rules.section_markers
        self.min_prose_words = config.min_prose_words
        # Every pass of the fixed-point loop tries the same lines again.
        self.marker = lru_cache(maxsize=CACHED_TEXTS)(self._marker)

    def _marker(self, text: str) -> Pattern | None:
        return self.patterns.match(marker_key(text)) if len(text) < MAX_MARKER_CHARS else None

    def apply(self, doc: Document) -> bool:
        live = doc.live()
        prose = [is_prose(b.text, self.min_prose_words) for b in live]
        removed = False
        index = 0
        while index < len(live):
            marker = live[index]
            pattern = self.marker(marker.text)
            index += 1
            if pattern is None:
                continue
            marker.remove(Label.CHROME, Reason(self.name, pattern.language, pattern.source))
            removed = True
            where = f"below {marker.text!r} (line {marker.first_line})"
            if any(prose[: index - 1]) and _is_listing(live[index:], prose[index:]):
                # After the story began, a marker over a listing (headline and lede
                # items, comments) to the end of the text: the rest is all chrome.
                for block in live[index:]:
                    block.remove(Label.CHROME, Reason(self.name, LISTING_BELOW_MARKER, where))
                return True
            end = index
            while end < len(live) and not prose[end]:
                end += 1
            if end < len(live) and not any(prose[: index - 1]):
                # Above the story's first paragraph: its headline, byline and date stay.
                end = max(index, end - LEAD_IN_LINES)
            for block in live[index:end]:
                block.remove(Label.CHROME, Reason(self.name, UNDER_MARKER, where))
            index = end
        return removed


def _is_listing(blocks: list[Block], prose: list[bool]) -> bool:
    """Items of headline and lede: every prose paragraph follows a headline (a line that
    is not a sentence, or, in a minority of the items, a short question), never another
    paragraph, and is no longer than a lede. Questions heading most items are an FAQ."""
    headline = [_is_item_headline(b.text) for b in blocks]
    items = [p and not h for p, h in zip(prose, headline, strict=True)]
    if not any(items):
        return False
    asked = 0
    for index, is_item_text in enumerate(items):
        if not is_item_text:
            continue
        if index == 0 or not headline[index - 1]:
            return False
        if is_long_running(blocks[index].text):
            return False
        asked += ending(blocks[index - 1].text) is not Ending.OPEN
    return 2 * asked < sum(items)


# A question this short on a line of its own heads an item ("Will banks follow the
# rate cut?"), as a line that ends on a word does.
MAX_QUESTION_HEADLINE_WORDS = 12


def _is_item_headline(text: str) -> bool:
    """A line that can head an item of a listing: no sentence, or a short question."""
    if ending(text) is Ending.OPEN:
        return True
    return (
        text.rstrip().rstrip(CLOSERS).endswith("?")
        and word_count(text) <= MAX_QUESTION_HEADLINE_WORDS
        and not SENTENCE_BREAK.search(text)
    )


def _has_teaser_label(text: str) -> bool:
    """`CHIP RACE: ...`: the ALL-CAPS label news sites put on a teaser of another story."""
    label, colon, _ = text.partition(": ")
    return bool(colon) and label.isupper() and len(label) <= 40 and len(label.split()) <= 4


def _prose_indexes(blocks: list[Block], min_words: int) -> list[int]:
    return [i for i, b in enumerate(blocks) if is_prose(b.text, min_words)]


class MenuRuns:
    """Runs of short lines before the article's first prose or after its last: menus."""

    name = "menu_run"

    def __init__(self, config: Config) -> None:
        self.config = config

    def apply(self, doc: Document) -> bool:
        # The page as it was before the site profile's cuts: a recurring footer of prose
        # it removed must not move the article's end up, turning the story's own short
        # lines (a letter's `To:` and `From:`) into a menu after it.
        page = _before_profile_cuts(doc)
        prose = _prose_indexes(page, self.config.min_prose_words)
        if not prose:
            return False  # no article to protect: short text is left as it is
        head = self._remove_runs(page[: prose[0]], "head")
        tail = self._remove_runs(page[prose[-1] + 1 :], "tail")
        return head or tail

    def _remove_runs(self, zone: list[Block], where: str) -> bool:
        removed = False
        for run in _runs(zone, self._is_item):
            live = [item for item in run if item.live]
            if len(run) >= self.config.min_menu_run and live:
                reason = Reason(self.name, where, f"{len(run)} short lines in a row")
                for item in live:
                    item.remove(Label.CHROME, reason)
                removed = True
        return removed

    def _is_item(self, block: Block) -> bool:
        return is_short_line(block.text, self.config.max_short_words) and not is_list_item(
            block.text
        )


def _runs(zone: list[Block], member: Callable[[Block], bool]) -> Iterator[list[Block]]:
    """The runs of consecutive blocks of `zone` that `member` accepts."""
    for accepted, group in groupby(zone, member):
        if accepted:
            yield list(group)


class Title:
    """A headline line opening the text, right before the prose, moves to `title`."""

    name = "title"

    def __init__(self, config: Config) -> None:
        self.config = config

    def apply(self, doc: Document) -> bool:
        live = doc.live()
        if doc.title is not None or len(live) < 2:
            return False
        first, following = live[0], live[1]
        if not self._is_headline(first.text) or not is_prose(
            following.text, self.config.min_prose_words
        ):
            return False
        doc.title = first.text
        first.remove(Label.TITLE, Reason(self.name, "headline", "first line, before the prose"))
        return True

    def _is_headline(self, text: str) -> bool:
        low, high = self.config.title_words
        return (
            low <= word_count(text) <= high
            and ending(text) is Ending.OPEN
            and not text[0].islower()
            and not is_list_item(text)
        )


class TailTeasers:
    """Paragraphs after the story that stop mid-sentence: teasers of other stories.

    Walks back from the end over blocks that do not end a sentence (teasers and
    the headline, source and time lines between them); the run goes when it holds
    two cut-off paragraphs (or one with a teaser label) and follows a story of
    finished sentences at least half its size. A list item, a line that the next goes
    on from, or a table's row is not cut off, whatever its end; nor is a run that a
    sentence ending in a colon introduces.
    """

    name = "tail_teaser"

    def __init__(self, config: Config) -> None:
        self.config = config

    def apply(self, doc: Document) -> bool:
        # The page as it was before the late cuts: a recurring footer ending in a
        # sentence (a comment form) that the site profile removed, or a comment thread,
        # must not turn the story's own last lines (its sources, references, a list of
        # offers) into a tail of teasers.
        blocks = [b for b in doc.blocks if b.live or _cut_late(b)]
        start = len(blocks)
        while start > 0 and ending(blocks[start - 1].text) is not Ending.SENTENCE:
            start -= 1
        run, story = blocks[start:], blocks[:start]
        if not any(b.live for b in run):
            return False
        teasers = [
            b
            for at, b in enumerate(run)
            if is_truncated(b.text, self.config.min_teaser_words)
            and not is_list_item(b.text)
            and not _continues(run, at)
            and not _is_table_row(run, at, TABLE_CELL)
        ]
        # One cut-off paragraph alone is as often the story's own last one (ending on a
        # link or an ellipsis); it takes two, or a teaser's ALL-CAPS label, to cut.
        if len(teasers) < 2 and not any(_has_teaser_label(b.text) for b in teasers):
            return False
        if len(_prose_indexes(story, self.config.min_prose_words)) < 2:
            return False  # no story of finished sentences before them: text without full stops
        if 2 * sum(word_count(b.text) for b in story) < sum(word_count(b.text) for b in run):
            return False
        if any(self._introduces(b.text) for b in run):
            return False
        teaser_ids = {id(b) for b in teasers}
        detail = f"{len(teasers)} cut-off paragraph(s) after the story's last sentence"
        for block in run:
            if block.live:
                rule = "teaser" if id(block) in teaser_ids else "between_teasers"
                block.remove(Label.CHROME, Reason(self.name, rule, detail))
        return True

    def _introduces(self, text: str) -> bool:
        """A sentence that ends in a colon (`... as follows:`, `please contact:`): what
        comes after it is the story's own list or address, not a tail of teasers."""
        return ending(text) is Ending.COLON and word_count(text) >= self.config.min_prose_words


def _continues(blocks: list[Block], at: int) -> bool:
    """Whether the next block goes on with the sentence (it starts in lower case): a
    hard-wrapped paragraph or a code listing, not a teaser that stops."""
    return at + 1 < len(blocks) and blocks[at + 1].text[:1].islower()


def _cut_late(block: Block) -> bool:
    """Removed by a stage that runs after the model, with the page as a whole in view."""
    return block.reason is not None and block.reason.stage in LATE_STAGES


def _cut_by(block: Block, stage: str) -> bool:
    return block.reason is not None and block.reason.stage == stage


def _before_profile_cuts(doc: Document) -> list[Block]:
    """The live blocks and those the site profile cut: the page as it was before."""
    return [b for b in doc.blocks if b.live or _cut_by(b, SiteProfile.name)]


# A paragraph the model takes for article text: more likely than not.
STORY_SCORE = 0.5
# What the model doubts more than the story, it scores lower on average: by this much
# below a section marker, and by more between comment signatures, where a blog's front
# page of posts signed with their time would look like a thread.
TAIL_DOUBT_MARGIN = 0.15
THREAD_DOUBT_MARGIN = 0.2
# A heading followed by this many lines of a few words each is a link in a toolbar.
TOOLBAR_ITEMS = 3
# Below a comment heading, a thread has at least this share of lines that are not
# prose (its names, dates and reply links); a story that goes on has fewer.
THREAD_LINE_SHARE = 0.3


def _is_story(block: Block, min_words: int) -> bool:
    """Prose the model takes for article text (or prose alone, without the model)."""
    score_ok = block.score is None or block.score >= STORY_SCORE
    return score_ok and is_prose(block.text, min_words)


def _story_above(blocks: list[Block], at: int, min_words: int) -> tuple[list[Block], list[Block]]:
    """The live blocks above `at`, and those of them that are the story."""
    above = [b for b in blocks[:at] if b.live]
    return above, [b for b in above if _is_story(b, min_words)]


def _doubted(blocks: list[Block], story: list[Block], margin: float) -> bool:
    """The model doubts the blocks more than the story; never without its scores."""
    scores = [b.score for b in blocks if b.score is not None]
    story_scores = [b.score for b in story if b.score is not None]
    if not scores or not story_scores:
        return False
    return mean(scores) <= mean(story_scores) - margin


def _longest_run(blocks: list[Block], member: Callable[[Block], bool]) -> int:
    longest = run = 0
    for block in blocks:
        run = run + 1 if member(block) else 0
        longest = max(longest, run)
    return longest


def _cut_to_the_end(blocks: list[Block], start: int, reason: Reason) -> bool:
    below = [b for b in blocks[start:] if b.live]
    for block in below:
        block.remove(Label.CHROME, reason)
    return bool(below)


class CommentThread:
    """Readers' comments: from a comment heading below the story to the end of the page.

    Comments are prose, often on the story's topic, so neither the model nor the
    listing rule of SectionMarkers stops them once they run on. The heading (a section
    marker, already removed) is the evidence, and the cut needs the story above it:
    `story_paragraphs_above` prose paragraphs the model takes for text. A heading
    with more of the story after it than before is passed over when it is a link in a
    toolbar under the headline (the heading, then a few short links) or when what
    follows it reads as story rather than as a thread.
    """

    name = "comment_thread"

    def __init__(self, rules: Rules, config: Config) -> None:
        self.headings = rules.comment_headings
        self.config = config
        self.is_heading = lru_cache(maxsize=CACHED_TEXTS)(self._is_heading)

    def _is_heading(self, text: str) -> bool:
        return len(text) < MAX_MARKER_CHARS and self.headings.match(marker_key(text)) is not None

    def apply(self, doc: Document) -> bool:
        blocks = doc.blocks
        headings = [
            i
            for i, b in enumerate(blocks)
            if _cut_by(b, SectionMarkers.name) and self.is_heading(b.text)
        ]
        for number, at in enumerate(headings):
            above, story = _story_above(blocks, at, self.config.min_prose_words)
            if len(story) < self.config.story_paragraphs_above:
                continue
            upto = headings[number + 1] if number + 1 < len(headings) else len(blocks)
            section = blocks[at + 1 : upto]
            if self._more_story(after=[b for b in section if b.live], before=above) and (
                self._is_toolbar(blocks, at) or not self._is_thread(section)
            ):
                continue
            heading = blocks[at]
            where = f"below {heading.text!r} (line {heading.first_line})"
            return _cut_to_the_end(blocks, at + 1, Reason(self.name, "thread_below_heading", where))
        return False

    def _is_toolbar(self, blocks: list[Block], at: int) -> bool:
        items = blocks[at + 1 : at + 1 + TOOLBAR_ITEMS]
        limit = self.config.max_short_words
        return len(items) == TOOLBAR_ITEMS and all(word_count(b.text) <= limit for b in items)

    def _is_thread(self, section: list[Block]) -> bool:
        """Comments come between lines that are not prose: names, dates, `Reply`."""
        others = sum(not is_prose(b.text, self.config.min_prose_words) for b in section)
        return others >= THREAD_LINE_SHARE * len(section)

    def _more_story(self, after: list[Block], before: list[Block]) -> bool:
        """The story goes on after: a longer run of prose and more words of story."""
        min_words = self.config.min_prose_words
        if _longest_prose_run(after, min_words) <= _longest_prose_run(before, min_words):
            return False
        story_words = [
            sum(word_count(b.text) for b in part if _is_story(b, min_words))
            for part in (after, before)
        ]
        return story_words[0] > story_words[1]


def _longest_prose_run(blocks: list[Block], min_words: int) -> int:
    return _longest_run(blocks, lambda b: is_prose(b.text, min_words))


# A commenter's signature tells the time of the comment: `Posted by: Ann | Jan 10, 2008
# 4:49 PM`, `BY ANN AT 01/08/08 05:30 PM`. Signatures are short lines of a few names.
CLOCK_TIME = re.compile(r"\b\d{1,2}:\d\d")
DIGITS = re.compile(r"\d+")
LETTERS = re.compile(r"[^\W\d_]+")
TIMES_OF_DAY = {"am", "pm"}
MAX_SIGNATURE_WORDS = 20
# A thread has at least this many signatures of one shape, with comments of a few
# blocks between them (the median; posts on a blog's front page, each signed with its
# time, are longer).
MIN_SIGNATURES = 3
MAX_COMMENT_BLOCKS = 6


@lru_cache(maxsize=CACHED_TEXTS)  # asked of every block on every pass of the loop
def _signature_shapes(text: str) -> tuple[str, ...]:
    """The shapes of a line that may sign a comment; lines of one shape share a key.

    Two shapes: its first word (`Posted by: Ann | ...`), and its digits and punctuation
    with the digits masked (`Ann November 1, 2012 at 8:29 am` -> `0, 0 0:0`), for
    signatures that start with the commenter's name and share only the date's form.
    """
    if word_count(text) > MAX_SIGNATURE_WORDS or ending(text) is Ending.SENTENCE:
        return ()
    if not CLOCK_TIME.search(text):
        return ()
    shapes = []
    word = "".join(filter(str.isalnum, first_word(text))).lower()
    if word[:1].isalpha():
        shapes.append(word)
    # A line of a date and time alone is a forum post's header, not a signature.
    if any(letters.lower() not in TIMES_OF_DAY for letters in LETTERS.findall(text)):
        shapes.append(" ".join(DIGITS.sub("0", LETTERS.sub("", text)).split()))
    return tuple(shapes)


def _signature_runs(blocks: list[Block]) -> list[list[int]]:
    """Indexes of signatures of one shape, each a few blocks after the last, by start."""
    by_shape: dict[str, list[int]] = {}
    for index, block in enumerate(blocks):
        for shape in _signature_shapes(block.text):
            by_shape.setdefault(shape, []).append(index)
    runs = []
    for indexes in by_shape.values():
        run = indexes[:1]
        for index in [*indexes[1:], None]:
            # Signatures sign comments: at least one block between two of them.
            if index is not None and 1 < index - run[-1] <= 2 * MAX_COMMENT_BLOCKS:
                run.append(index)
                continue
            if len(run) >= MIN_SIGNATURES:
                runs.append(run)
            run = [index]
    return sorted(runs)


class SignedComments:
    """Readers' comments with no heading: a run of signatures of one shape after the story.

    Each comment is signed with the commenter's name and the time (`Posted by: Ann |
    Jan 10, 2008 4:49 PM`), before or after it. Where the signatures come after their
    comments, the first comment stays: nothing tells it from the story's last paragraph.
    The cut needs the story above (as CommentThread), distinct signatures with comments
    of a few blocks between them, the model doubting those comments more than the
    story (so the stage needs the model), and no more story after the last signature.
    """

    name = "signed_comments"

    def __init__(self, config: Config) -> None:
        self.config = config

    def apply(self, doc: Document) -> bool:
        blocks = doc.blocks
        for run in _signature_runs(blocks):
            if self._is_thread(blocks, run):
                first = blocks[run[0]]
                where = f"{len(run)} signatures like {first.text!r} (line {first.first_line})"
                return _cut_to_the_end(blocks, run[0], Reason(self.name, "signed_thread", where))
        return False

    def _is_thread(self, blocks: list[Block], run: list[int]) -> bool:
        first, last = run[0], run[-1]
        min_words = self.config.min_prose_words
        above, story = _story_above(blocks, first, min_words)
        if len(story) < self.config.story_paragraphs_above:
            return False
        # Each comment has its own author or time; a post quoted over and over does not.
        if len({blocks[index].text for index in run}) < MIN_SIGNATURES:
            return False
        if median(b - a for a, b in pairwise(run)) > MAX_COMMENT_BLOCKS:
            return False
        signatures = set(run)
        comments = [b for i, b in enumerate(blocks[first:last], first) if i not in signatures]
        # Without the model's doubt, the comments may be a live blog's timed entries.
        if not _doubted(comments, story, THREAD_DOUBT_MARGIN):
            return False
        # A story that goes on after the signatures: they were its own (a live blog's).
        after = [b for b in blocks[last + 1 :] if b.live]
        return _longest_prose_run(after, min_words) <= _longest_prose_run(above, min_words)


class MarkedTail:
    """What follows a section marker below the story, when the model doubts it as a
    whole, or a copyright line, when a listing follows it.

    `Related Articles`, `Most Popular`, `Categories`...: SectionMarkers cuts the lines
    under a marker up to the next prose paragraph, where the article may resume. Here
    the model has judged the rest: when it doubts all of it more than the story above
    and no two paragraphs of story follow one another in it, the article did not resume
    and the rest goes to the end (headline and lede lists, blurbs, footers).

    A copyright line (`© 2008 ANI`) closes a story as often as a page, and may stand
    in the middle of a document (a manual's), so below one it takes a listing instead
    of the model's doubt: headline and lede items, or, with no prose at all, fewer words
    than the story.
    """

    name = "marked_tail"

    def __init__(self, config: Config) -> None:
        self.config = config

    def apply(self, doc: Document) -> bool:
        blocks = doc.blocks
        min_words = self.config.min_prose_words
        for at, marker in enumerate(blocks):
            is_copyright = _is_copyright(marker)
            if not (_is_section_marker(marker) or is_copyright):
                continue
            _, story = _story_above(blocks, at, min_words)
            if len(story) < self.config.story_paragraphs_above:
                continue
            below = [b for b in blocks[at + 1 :] if b.live]
            if is_copyright and not self._listing_below_copyright(below, story):
                continue
            # Below a copyright line the listing is evidence enough; a marker's block
            # needs the model's doubt as well.
            if not is_copyright and not _doubted(below, story, TAIL_DOUBT_MARGIN):
                continue
            if _longest_run(below, lambda b: _is_story(b, min_words)) >= 2:
                continue
            rule = "listing_below_copyright" if is_copyright else "doubted_below_marker"
            where = f"below {marker.text!r} (line {marker.first_line})"
            return _cut_to_the_end(blocks, at + 1, Reason(self.name, rule, where))
        return False

    def _listing_below_copyright(self, below: list[Block], story: list[Block]) -> bool:
        prose = [is_prose(b.text, self.config.min_prose_words) for b in below]
        if any(prose):
            return _is_listing(below, prose)
        return sum(word_count(b.text) for b in below) <= sum(word_count(b.text) for b in story)


def _is_section_marker(block: Block) -> bool:
    """A section marker itself, not a line SectionMarkers cut below one."""
    return _cut_by(block, SectionMarkers.name) and block.reason.rule not in BELOW_MARKER


def _is_copyright(block: Block) -> bool:
    return _inline_kind(block) == "copyright"


class SiteProfile:
    """Lines the site repeats on many of its distinct pages: its menus, footers, promos.

    Repetition alone is not enough (two articles of a site may quote one paragraph, and
    a page's own headline is listed on the site's other pages), so other evidence must
    agree. The article runs from the page's first own prose paragraph (one the site does
    not repeat) to its last. Outside it a recurring line goes when it is one of a run of
    recurring lines (a menu, a list of the site's stories, a footer) or when the model,
    which ran just before, doubts it too. What stays: the lines next to the article that
    are neither prose nor in such a run nor longer than a headline (its headline, byline,
    dateline), and a line the model takes for text, unless nearly every page of the site
    has it (an author box, a disclaimer, a promotion). Inside, a recurring line goes only
    when it is not prose and the model doubts it.
    """

    name = "site_profile"

    def __init__(self, profiles: SiteProfiles, config: Config) -> None:
        self.profiles = profiles
        self.config = config

    def apply(self, doc: Document) -> bool:
        if doc.site is None:
            return False
        site = self.profiles.recurring(doc.site)
        needed = max(
            MIN_EVIDENCE, self.config.profile_min_pages, self.config.profile_min_share * site.pages
        )
        live = doc.live()
        counts = [site.counts.get(line_key(b.text), 0) for b in live]
        recurring = [count >= needed for count in counts]
        prose = [is_prose(b.text, self.config.min_prose_words) for b in live]
        headline_sized = [word_count(b.text) <= self.config.title_words[1] for b in live]
        own_prose = [i for i in range(len(live)) if prose[i] and not recurring[i]]
        first, last = (own_prose[0], own_prose[-1]) if own_prose else (len(live), -1)
        near = self.config.profile_near_lines

        sitewide = max(needed, self.config.profile_sitewide_share * site.pages)

        def near_story(index: int) -> bool:
            return bool(own_prose) and first - near <= index <= last + near

        def sitewide_outside(index: int) -> bool:
            outside = index < first or index > last
            return bool(own_prose) and outside and counts[index] >= sitewide

        removed = False
        for index, block in enumerate(live):
            # The line right before the story is its headline, run or not, if no longer.
            if not recurring[index] or (index + 1 == first and headline_sized[index]):
                continue
            inside = first < index < last
            # block.score is fresh: this stage runs only after the model removed nothing.
            doubted = block.score is None or block.score < self.config.profile_max_score
            run = _run_length(recurring, index)
            in_run = run >= self.config.profile_min_run
            if inside:
                if prose[index] or not doubted:
                    continue
                where = "inside the article, not prose"
            elif near_story(index) and not in_run and not prose[index] and headline_sized[index]:
                # A line this close to the story, neither prose nor in a run nor longer
                # than a headline, is the page's own (its headline, dateline, byline) that
                # the site's other pages list: the model's doubt is not enough. Prose here
                # is an author box.
                continue
            elif in_run:
                if index > last and prose[index] and not doubted and not sitewide_outside(index):
                    # After the story, a sentence the model takes for text (a note to
                    # readers) may be the page's, unless nearly every page has it. Before
                    # it, prose in a run is a sign-up form's.
                    continue
                where = f"outside the article, {run} recurring lines in a row"
            elif doubted:
                where = "outside the article"
            elif sitewide_outside(index):
                side = "before" if index < first else "after"
                where = f"{side} the article, on nearly every page of the site"
            else:
                continue
            detail = f"on {counts[index]} of {site.pages} pages of {doc.site}, {where}"
            block.remove(Label.CHROME, Reason(self.name, "recurring_line", detail))
            removed = True
        return removed


def _run_length(flags: list[bool], index: int) -> int:
    """How many True flags in a row there are around `index`."""
    start, end = index, index + 1
    while start > 0 and flags[start - 1]:
        start -= 1
    while end < len(flags) and flags[end]:
        end += 1
    return end - start


class LearnedModel:
    """Blocks the trained model scores below the threshold: chrome with no name.

    Runs after the rules have settled, on the blocks they left, and again after
    every change like the other context stages: the output is a fixed point. Where the
    rules have found no chrome, the text is most likely clean already and the lower
    `clean_threshold` applies, by default none at all (a run of a few short lines is no
    proof of chrome: a clean article has lists too, it takes `evident_menu_run` of them;
    nor are a byline, a timestamp or a paragraph cut off, which clean articles have too).
    Where the threshold would leave no prose at all, the lower `fallback_threshold`
    applies: a scraped page holds an article, and a page the model would empty is one it
    misjudges (an article in one table cell, run together with its chrome). On a page
    with no story (paragraphs one by one between other lines, none the model is sure
    of: a listing, a product page), `no_story_threshold` applies: its items are what the
    page offers, and the model, trained mostly on stories, doubts them. What it
    doubts stays where the story goes on in it, or where it is the story run into one
    block (see `_story_goes_on`, `_story_in_one_block`).
    """

    name = "model"

    def __init__(self, model: Model, config: Config) -> None:
        self.model = model
        self.threshold = config.threshold
        self.clean_threshold = min(config.threshold, config.clean_threshold)
        self.fallback_threshold = min(config.threshold, config.fallback_threshold)
        self.no_story_threshold = min(config.threshold, config.no_story_threshold)
        self.min_prose_words = config.min_prose_words
        self.evident_menu_run = config.evident_menu_run

    def apply(self, doc: Document) -> bool:
        # The page as it was before the site profile's cuts: its recurring chrome was on
        # every page the model trained on, and without it a short story may look thin.
        page = _before_profile_cuts(doc)
        texts = [b.text for b in page]
        if doc.stop_words is None:
            doc.stop_words = page_stop_words(texts)
        link_shares = [b.link_share for b in page]
        scores = self.model.scores(texts, doc.stop_words, link_shares).tolist()
        threshold, why = self.threshold, "article score below"
        if not self._rules_found_chrome(doc.blocks):
            threshold, why = self.clean_threshold, "no chrome the rules know; article score below"
        elif not self._leaves_prose(page, scores, threshold):
            threshold, why = self.fallback_threshold, "no prose would be left; article score below"
        elif _has_no_story(page, scores, self.min_prose_words):
            threshold, why = self.no_story_threshold, "no story on the page; article score below"
        doubted = {id(b) for b, score in zip(page, scores, strict=True) if score < threshold}
        # What the model doubts that stays all the same, by id, and why.
        kept_anyway: dict[int, str] = {}
        if doubted:
            min_words = self.min_prose_words
            kept_anyway |= dict.fromkeys(
                _story_in_one_block(doc, doubted, min_words), STORY_IN_ONE_BLOCK
            )
            kept_anyway |= dict.fromkeys(_story_goes_on(doc, doubted, min_words), STORY_GOES_ON)
        removed = False
        for block, score in zip(page, scores, strict=True):
            if not block.live:
                continue
            block.score = score
            block.kept_because = None
            if id(block) in kept_anyway:
                block.kept_because = (
                    f"{kept_anyway[id(block)]}, though its article score is below {threshold:g}"
                )
            elif score < threshold:
                block.remove(
                    Label.CHROME, Reason(self.name, "score", f"{why} {threshold:g}", score)
                )
                removed = True
        return removed

    def _rules_found_chrome(self, blocks: list[Block]) -> bool:
        """Whether the rules cut chrome a clean article does not hold: a menu run counts
        when it is evident, a byline or a cut-off last paragraph never does."""
        menu_run = 0
        for block in blocks:
            if _cut_by(block, MenuRuns.name):
                menu_run += 1
                if menu_run >= self.evident_menu_run:
                    return True
                continue
            menu_run = 0
            if _cut_as_chrome(block) and not _also_in_clean_text(block):
                return True
        return False

    def _leaves_prose(self, page: list[Block], scores: list[float], threshold: float) -> bool:
        """Whether some live prose scores at least `threshold`, or there is none to lose."""
        prose = [
            score
            for block, score in zip(page, scores, strict=True)
            if block.live and is_prose(block.text, self.min_prose_words)
        ]
        return not prose or max(prose) >= threshold


# A page has no story when it has at least this many paragraphs of prose, never two of
# them in a row, none of a story's length, and the model is this sure of none: items
# with their blurbs (a listing, a product page). A short post's one paragraph is a story
# however the model scores it.
NO_STORY_MIN_PARAGRAPHS = 2
NO_STORY_SURE = 0.8


def _has_no_story(page: list[Block], scores: list[float], min_words: int) -> bool:
    """Whether the live prose of `page`, scored `scores`, is items, not a story."""
    live = [(block, score) for block, score in zip(page, scores, strict=True) if block.live]
    prose = [(block, score) for block, score in live if is_prose(block.text, min_words)]
    return (
        len(prose) >= NO_STORY_MIN_PARAGRAPHS
        and _longest_prose_run([block for block, _ in live], min_words) < 2
        and all(score < NO_STORY_SURE and not is_long_running(b.text) for b, score in prose)
    )


# A block of running text this long that holds at least this share of the page's prose
# is the story run together into one block (a renderer lost its paragraph breaks). The
# model, trained on paragraphs, may doubt such a block; no sidebar or bio is this long.
STORY_BLOCK_WORDS = 300
STORY_BLOCK_SHARE = 0.5
STORY_IN_ONE_BLOCK = "the story's prose run into one block"


def _story_in_one_block(doc: Document, doubted: set[int], min_words: int) -> set[int]:
    """The doubted blocks (by id) that hold the story's prose run together."""
    prose = [b for b in doc.live() if is_prose(b.text, min_words)]
    prose_words = sum(word_count(b.text) for b in prose)
    return {
        id(b)
        for b in prose
        if id(b) in doubted
        and is_long_running(b.text)
        and word_count(b.text) >= max(STORY_BLOCK_WORDS, STORY_BLOCK_SHARE * prose_words)
    }


# A paragraph the model doubts is still the story's when it follows the story's kept
# text with nothing between (inline chrome aside) and shares at least this share of its
# topic words with the story's kept prose. Trained on pages that end in chrome, the
# model doubts the later paragraphs of a long story, and short lines of dialogue most;
# a legal notice or another story after the article shares few of its words.
GOES_ON_COHESION = 0.1
STORY_GOES_ON = "prose that goes on from the story and shares its words"


def _story_goes_on(doc: Document, doubted: set[int], min_words: int) -> set[int]:
    """The doubted blocks (by id) that go on from the story's kept prose without a break.

    A run starts at a kept paragraph of prose and goes on over kept sentences (a line of
    dialogue) and over doubted prose that coheres with the story; anything else ends it.
    """
    stop = doc.stop_words or frozenset()
    story_words: set[str] | None = None
    goes_on: set[int] = set()
    in_run = False
    for block in doc.blocks:
        if not block.live:
            in_run = in_run and _cut_by(block, InlineChrome.name)
            continue
        prose = is_prose(block.text, min_words)
        if id(block) not in doubted:
            in_run = prose or (in_run and ending(block.text) is Ending.SENTENCE)
            continue
        if in_run and prose:
            if story_words is None:  # only for pages with a doubted paragraph in a run
                story = [
                    b.text
                    for b in doc.live()
                    if id(b) not in doubted and is_prose(b.text, min_words)
                ]
                story_words = set().union(*content_words(story, stop))
            own = content_words([block.text], stop)[0]
            in_run = bool(own) and len(own & story_words) >= GOES_ON_COHESION * len(own)
        else:
            in_run = False
        if in_run:
            goes_on.add(id(block))
    return goes_on


class LinkLists:
    """HTML input: runs of lines that are all link text before the article's first prose
    or after its last, a menu or a list of other stories that the text alone does not
    tell from a subheading. Prose in a link stays (a page whose markup leaves a link
    open makes the rest of it link text), and a page with fewer than
    `story_paragraphs_above` prose paragraphs is left as it is (a shop's list of
    products is its content)."""

    name = "link_list"

    def __init__(self, config: Config) -> None:
        self.min_run = config.min_link_run
        self.min_prose_words = config.min_prose_words
        self.story_paragraphs = config.story_paragraphs_above

    def apply(self, doc: Document) -> bool:
        if not doc.link_lines:
            return False
        live = doc.live()
        prose = _prose_indexes(live, self.min_prose_words)
        if len(prose) < self.story_paragraphs:
            return False
        removed = False
        for zone in (live[: prose[0]], live[prose[-1] + 1 :]):
            for run in _runs(zone, lambda block: block.text in doc.link_lines):
                if len(run) >= self.min_run:
                    reason = Reason(self.name, "run", f"{len(run)} link-only lines in a row")
                    for block in run:
                        block.remove(Label.CHROME, reason)
                    removed = True
        return removed


def _cut_as_chrome(block: Block) -> bool:
    """Removed as chrome by one of the rules: a title or date taken out is no chrome."""
    return block.label is Label.CHROME and not _cut_by(block, LearnedModel.name)


# Inline chrome that clean articles hold too: their byline, their dateline.
CLEAN_TEXT_KINDS = frozenset({"byline", "timestamp"})


def _also_in_clean_text(block: Block) -> bool:
    """Cut by a rule that clean articles trip as well: a byline, a timestamp, or a last
    paragraph ending on a link or an ellipsis (a teaser to the tail rule)."""
    return _cut_by(block, TailTeasers.name) or _inline_kind(block) in CLEAN_TEXT_KINDS


def _inline_kind(block: Block) -> str | None:
    """The kind of inline chrome (`copyright`, `byline`...) that cut the block, if any:
    InlineChrome names its rules `kind/language`."""
    return block.reason.rule.split("/")[0] if _cut_by(block, InlineChrome.name) else None


# The stages that run after the model: TailTeasers judges the page as it was before them.
LATE_STAGES = frozenset(
    {CommentThread.name, SignedComments.name, MarkedTail.name, SiteProfile.name, LinkLists.name}
)
