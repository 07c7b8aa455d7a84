"""The typed records that flow through the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Label(Enum):
    CONTENT = "content"
    CHROME = "chrome"
    TITLE = "title"
    METADATA = "metadata"


@dataclass(slots=True, frozen=True)
class Reason:
    """Why something was removed: the stage, its rule, and what matched."""

    stage: str  # the pipeline step that decided, e.g. "inline_chrome"
    rule: str  # the rule within it, e.g. "caption/en"
    detail: str = ""  # the pattern, phrase or evidence
    score: float | None = None  # a model's score, where one decided

    def __str__(self) -> str:
        score = f" score={self.score:.3f}" if self.score is not None else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.stage}/{self.rule}{detail}{score}"


@dataclass(slots=True)
class Block:
    """A paragraph of the input: one line, or hard-wrapped lines joined."""

    text: str
    start: int  # offset of the text's first character in the input
    end: int  # offset just past its last character
    first_line: int  # 1-based input line numbers
    last_line: int
    label: Label = Label.CONTENT
    reason: Reason | None = None
    score: float | None = None  # the model's last score: how much it looks like article text
    # Why a block the model doubts was kept all the same (the story goes on), if it was.
    kept_because: str | None = None
    # The text as written, where it is Markdown: `text` is its plain words, which the
    # stages judge, and this is what goes out.
    markup: str | None = None
    # The share of its characters that links hold, where the input tells (HTML, and
    # Markdown with links); None for text, which does not.
    link_share: float | None = None

    @property
    def written(self) -> str:
        return self.text if self.markup is None else self.markup

    @property
    def live(self) -> bool:
        return self.label is Label.CONTENT

    def remove(self, label: Label, reason: Reason) -> None:
        self.label = label
        self.reason = reason


@dataclass(slots=True)
class Span:
    start: int
    end: int
    text: str
    score: float | None = None  # the model's score for a kept block, where it ran
    kept_because: str | None = None  # why, where the model doubted it (Block.kept_because)


@dataclass(slots=True)
class Removal:
    start: int
    end: int
    text: str
    reason: Reason


@dataclass(slots=True)
class Document:
    """The input as blocks, plus what the stages have learned about it."""

    source: str
    blocks: list[Block]
    separator: str  # how paragraphs are joined on output: "\n" or "\n\n"
    title: str | None = None
    date: str | None = None
    trims: list[Removal] = field(default_factory=list)  # parts cut from kept blocks
    site: str | None = None  # the site key of its profile (a registered domain), if known
    link_lines: frozenset[str] = frozenset()  # HTML input: lines that are all link text
    # The stop words of the page's language, as the model first found them: its later
    # passes see less of the page, not another language.
    stop_words: frozenset[str] | None = None

    def live(self) -> list[Block]:
        # Block.live inlined: every stage asks on every pass, for every block.
        return [b for b in self.blocks if b.label is Label.CONTENT]


@dataclass(slots=True)
class Result:
    """What `strip` returns: the body and an account of every removal."""

    body: str
    title: str | None
    date: str | None
    kept: list[Span]
    removed: list[Removal]
    blocks: list[Block]  # every paragraph in input order, with its label: for --explain

    def to_dict(self) -> dict:
        return {
            "body": self.body,
            "title": self.title,
            "date": self.date,
            "removed": [
                {
                    "start": r.start,
                    "end": r.end,
                    "text": r.text,
                    "reason": str(r.reason),
                    "stage": r.reason.stage,
                    "rule": r.reason.rule,
                    "detail": r.reason.detail,
                    "score": r.reason.score,
                }
                for r in self.removed
            ],
            "kept": [asdict(s) for s in self.kept],
        }
