"""The one frozen configuration object a Stripper is built from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

# Model score thresholds: the default, and the --precision and --recall presets.
DEFAULT_THRESHOLD = 0.25
PRECISION_THRESHOLD = 0.5
RECALL_THRESHOLD = 0.15
CLEAN_THRESHOLD = 0.0
FALLBACK_THRESHOLD = 0.03
NO_STORY_THRESHOLD = 0.1


class InputFormat(Enum):
    TEXT = "text"
    HTML = "html"
    AUTO = "auto"


@dataclass(frozen=True, slots=True)
class Config:
    input_format: InputFormat = InputFormat.TEXT
    # Rule languages to load (ISO 639-1); None loads every language's rules.
    languages: frozenset[str] | None = None
    extract_title: bool = True
    extract_date: bool = True
    cut_teasers: bool = True
    cut_comments: bool = True
    # A paragraph of running text has at least this many words and ends a sentence.
    min_prose_words: int = 10
    # Menu items, labels and headings have at most this many words.
    max_short_words: int = 4
    # Menu runs: this many short lines in a row, outside the article's prose.
    min_menu_run: int = 3
    # A menu run this long is chrome the rules know (see clean_threshold); a shorter
    # one may be a clean article's own list (its key facts, its contents).
    evident_menu_run: int = 6
    # Teasers: cut-off paragraphs of at least this many words after the story.
    min_teaser_words: int = 12
    # Comment threads, and what the model doubts below a section marker: cut only with
    # at least this many paragraphs of the story above.
    story_paragraphs_above: int = 3
    # Headlines: a first line of this many words, followed by prose.
    title_words: tuple[int, int] = (3, 30)
    # HTML input: this many lines in a row that are all link text (a menu, a list of
    # other stories) go.
    min_link_run: int = 2
    # The learned model: the one shipped in stripper/data, or a file `stripper train`
    # wrote; use_model=False runs the rules alone.
    use_model: bool = True
    model_path: Path | None = None
    # A block the model scores below this is dropped: lower keeps more (recall),
    # higher cuts more (precision).
    threshold: float = DEFAULT_THRESHOLD
    # Where the rules find no chrome at all, the text is most likely extracted already
    # (another extractor's output, a clean article): the model cuts only below this (or
    # below `threshold`, if lower). At 0 it cuts nothing: on clean text its cuts were long
    # documents' later paragraphs, and extracted text gained nothing from them (measured).
    clean_threshold: float = CLEAN_THRESHOLD
    # Where `threshold` would leave no prose on a page with chrome, the model misjudges
    # the article: it cuts only the chrome it is sure of, below this (or `threshold`).
    fallback_threshold: float = FALLBACK_THRESHOLD
    # On a page with no story (a listing, a product page, a directory: its paragraphs
    # stand one by one between other lines, and the model is sure of none), what the page
    # offers is its items, and the model, trained mostly on stories, doubts them: it cuts
    # only below this (or `threshold`).
    no_story_threshold: float = NO_STORY_THRESHOLD
    # Site profiles (`stripper learn`): a line the site repeats goes when it is on at
    # least this many distinct pages of the site...
    profiles: Path | None = None
    profile_min_pages: int = 3
    # ...and on this share of them: chrome is on most pages, while a paragraph two of a
    # site's articles quote is on few.
    profile_min_share: float = 0.5
    # With the model: a recurring line goes only when the model, too, doubts it is
    # article text (scores it below this), so a headline listed on every page stays.
    profile_max_score: float = 0.7
    # Outside the article, a run of this many recurring lines (a menu, a list of the
    # site's stories, a footer) goes whatever the model says.
    profile_min_run: int = 3
    # Next to the article (this many lines before its first own prose or after its
    # last), a recurring line neither prose nor in such a run stays: the page's own
    # headline, dateline or byline, which the site's other pages list.
    profile_near_lines: int = 5
    # After the article, a line on this share of the site's pages is the site's own (an
    # author box, a disclaimer, a comment form's rules), prose or not, whatever the model
    # says; a page's own text is never on nearly all the others.
    profile_sitewide_share: float = 0.9
