"""The Stripper: input to blocks, blocks through the stages, kept blocks to a Result."""

from __future__ import annotations

from itertools import pairwise

from stripper.config import Config, InputFormat
from stripper.document import Document, Label, Removal, Result, Span
from stripper.inputs import PageText, page_input
from stripper.layout import reads_as_one, segment
from stripper.markdown import LINK_LINE_SHARE, link_share
from stripper.model import load_model
from stripper.profiles import SiteProfiles
from stripper.rules import load_rules
from stripper.stages import (
    CommentThread,
    DatePrefix,
    InlineChrome,
    LearnedModel,
    LinkLists,
    MarkedTail,
    MenuRuns,
    SectionMarkers,
    SignedComments,
    SiteProfile,
    Stage,
    TailTeasers,
    Title,
)


class Stripper:
    """Build once from a Config (rules load once), then call `strip` on many documents.

    `profiles` overrides `config.profiles` with an open SiteProfiles (one in memory, or
    one that a caller also learns into).
    """

    def __init__(self, config: Config | None = None, profiles: SiteProfiles | None = None) -> None:
        self.config = config or Config()
        rules = load_rules(self.config.languages)
        inline_chrome = InlineChrome(rules)
        self.line_stages: list[Stage] = [inline_chrome]
        context: list[Stage] = []
        if self.config.extract_date:
            context.append(DatePrefix(rules, inline_chrome))
        context += [SectionMarkers(rules, self.config), MenuRuns(self.config)]
        if self.config.extract_title:
            context.append(Title(self.config))
        if self.config.cut_teasers:
            context.append(TailTeasers(self.config))
        if self.config.use_model:
            # Last: the rules' named evidence decides first, the model judges what is left.
            context.append(LearnedModel(load_model(self.config.model_path), self.config))
        # After the model: the story above is prose it takes for text, and what goes
        # below it is what it doubts (SignedComments and MarkedTail need its scores).
        if self.config.cut_comments:
            context += [CommentThread(rules, self.config), SignedComments(self.config)]
        if self.config.cut_teasers and self.config.use_model:
            context.append(MarkedTail(self.config))
        if profiles is None and self.config.profiles is not None:
            profiles = SiteProfiles(self.config.profiles)
        if profiles is not None:
            # After the model, which judges pages as it was trained on them (chrome and
            # all) and leaves its fresh score on every live block: the profile's evidence.
            context.append(SiteProfile(profiles, self.config))
        # Last, on what the rest leave: HTML's links, which text input does not have.
        context.append(LinkLists(self.config))
        self.context_stages = context

    def strip(
        self, text: str, input_format: InputFormat | None = None, site: str | None = None
    ) -> Result:
        """The main body of `text`, with title, date and the reason for every removal.

        `site` is the page's site key (`profiles.site_of(url)`), for the site profiles.
        Offsets in the result refer to `text`, or for HTML input to the page text
        that the HTML was rendered to.
        """
        return self.strip_page(page_input(text, input_format or self.config.input_format), site)

    def strip_page(self, page: PageText, site: str | None = None) -> Result:
        """`strip` for a page already rendered to text (`stripper.inputs.render_html`)."""
        blocks, separator = segment(page.text)
        marked = [link_share(b.markup) if b.markup is not None else 0.0 for b in blocks]
        if page.link_shares is not None or any(marked):
            rendered = page.link_shares or {}
            for block, share in zip(blocks, marked, strict=True):
                block.link_share = (
                    share if block.markup is not None else rendered.get(block.text, 0.0)
                )
        link_lines = page.link_lines | {
            block.text
            for block, share in zip(blocks, marked, strict=True)
            if share >= LINK_LINE_SHARE
        }
        doc = Document(page.text, blocks, separator, site=site, link_lines=link_lines)
        for stage in self.line_stages:
            stage.apply(doc)
        # Each pass removes at least one block, so this ends; `any` restarts from the
        # first stage after every removal, keeping the stages' order of precedence.
        for _ in range(len(blocks) + 1):
            if not any(stage.apply(doc) for stage in self.context_stages):
                break
        return _result(doc)


def _result(doc: Document) -> Result:
    kept = [Span(b.start, b.end, b.written, b.score, b.kept_because) for b in doc.blocks if b.live]
    removed = list(doc.trims)
    removed += [
        Removal(b.start, b.end, b.written, b.reason)
        for b in doc.blocks
        if b.label is not Label.CONTENT and b.reason is not None
    ]
    removed.sort(key=lambda r: r.start)
    body = _joined(kept, doc.separator)
    return Result(body, doc.title, doc.date, kept, removed, doc.blocks)


def _joined(kept: list[Span], separator: str) -> str:
    """The kept blocks, one a paragraph. Two lines that were apart in the input but would
    read back as one sentence (", and more" after a cut) go out a blank line apart, and
    then all do, so that stripping the output again changes nothing."""
    texts = [span.text for span in kept]
    if separator == "\n" and any(reads_as_one(a, b) for a, b in pairwise(texts)):
        separator = "\n\n"
    return separator.join(texts)


_DEFAULT: Stripper | None = None


def strip(text: str, config: Config | None = None, site: str | None = None) -> Result:
    """Strip one document; without a config, a shared default Stripper is used."""
    global _DEFAULT
    if config is not None:
        return Stripper(config).strip(text, site=site)
    if _DEFAULT is None:
        _DEFAULT = Stripper()
    return _DEFAULT.strip(text, site=site)
