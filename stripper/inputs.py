"""Turning what users hand us (bytes, text, HTML) into text the pipeline reads."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from stripper.config import InputFormat

_HTML_START = re.compile(r"\s*(<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<(!doctype|html))", re.I)
_TAG = re.compile(r"</?(html|head|body|div|p|span|a|table|td|tr|li|ul|br|img|meta|script)\b", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SPACE_RUN = re.compile(r"\s+")

# Elements whose text is never page text. Not <head> as a whole: a page whose markup
# puts body elements in it (an unknown tag before <body>) has its article there.
SKIPPED = frozenset({"script", "style", "template", "svg", "title", "iframe", "object", "canvas"})
# Elements that start a new paragraph.
BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
        "h3", "h4", "h5", "h6", "header", "hr", "legend", "li", "main", "nav", "ol", "option",
        "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "ul", "body", "html", "center", "menu", "select", "textarea", "button", "label",
    }
)  # fmt: skip
LINE_BREAK, PARAGRAPH_BREAK = "\n", "\n\n"


def decode(data: bytes) -> tuple[str, bool]:
    """UTF-8 text (a BOM dropped); True as second value when bytes had to be replaced."""
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace").removeprefix("\ufeff"), True


# Tags and lines are counted in the text's opening: enough to tell, cheap on huge input.
SNIFF_CHARS = 20_000
# Prose about HTML mentions a few tags; a page fragment is made of them.
MIN_PAGE_TAGS = 20


def _tags(text: str) -> int:
    """Common tags in the text's opening."""
    return len(_TAG.findall(text, 0, SNIFF_CHARS))


def _is_markup(text: str) -> bool:
    """Thick with common tags: a page or a fragment of one."""
    return "</" in text and _tags(text) >= MIN_PAGE_TAGS


def sniff(text: str) -> InputFormat:
    """HTML when the text opens like a page or is thick with common tags; else text."""
    return InputFormat.HTML if _HTML_START.match(text) or _is_markup(text) else InputFormat.TEXT


def is_page_source(text: str) -> bool:
    """Text that is really a page's markup: more than two tags a line.

    A renderer that trips on broken markup (an unclosed <title> or comment) passes
    the rest of the page through as source, often on one line: the article is in
    there, between the tags. Text that merely quotes some markup has far more lines
    than tags.
    """
    if "</" not in text:  # most text: no tag scan on the hot path
        return False
    tags = _tags(text)
    return tags >= MIN_PAGE_TAGS and tags > 2 * (text.count("\n", 0, SNIFF_CHARS) + 1)


@dataclass(frozen=True, slots=True)
class PageText:
    """The text the pipeline reads, and what the markup said about its lines."""

    text: str
    # HTML input: the share of each line's characters that links hold, for the lines
    # with a link (the highest, where a line recurs). None: the input tells nothing.
    link_shares: dict[str, float] | None = None

    @property
    def link_lines(self) -> frozenset[str]:
        """Lines that are all link text: a menu, a list of other stories."""
        shares = self.link_shares or {}
        return frozenset(line for line, share in shares.items() if share >= LINK_LINE_SHARE)


def page_input(text: str, input_format: InputFormat) -> PageText:
    """The text the pipeline reads: HTML rendered to text.

    HTML is what `input_format` says, what AUTO sniffs, or page source handed in as
    text (`is_page_source`).
    """
    if input_format is InputFormat.AUTO:
        input_format = sniff(text)
    elif input_format is InputFormat.TEXT and is_page_source(text):
        input_format = InputFormat.HTML
    return render_html(text) if input_format is InputFormat.HTML else PageText(text)


def page_text(text: str, input_format: InputFormat) -> str:
    """`page_input`'s text alone: what site profiles and the benchmarks read."""
    return page_input(text, input_format).text


def render_html(markup: str, menus: bool = False) -> PageText:
    """Page text with one paragraph per block element, blank lines between them, and
    the share of each line that links hold; with `menus`, the site's <nav> and <header>
    menus too, as other renderers keep them."""
    markup = _XML_DECLARATION.sub("", markup)
    recovered = 0
    while True:
        root = _parse(markup)
        if root is None:
            return PageText("", {})
        rendered = _walk(root, recovered < TITLE_RECOVERIES, menus)
        if isinstance(rendered, PageText):
            return rendered
        markup, recovered = rendered, recovered + 1


def _parse(markup: str) -> etree._Element | None:
    """The page's element tree; None when there is none."""
    if not markup.strip():
        return None
    # lxml.etree's parser, not lxml.html's: its elements need no Python class lookup.
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(markup.encode("utf-8", "replace"), parser)
    except (etree.ParserError, ValueError):
        return None
    # libxml2 stops at a resource limit (nesting deeper than 256 elements) and keeps what
    # it read so far: the rest of the page would vanish without a word.
    for entry in parser.error_log:
        if entry.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            raise ValueError(f"HTML parser gave up: {entry.message}")
    return root


# Pages an unclosed <title> swallowed are rendered again from the title's text, a parse
# each: titles nested deeper (no page, only crafted input) stay unrendered.
TITLE_RECOVERIES = 3


def _walk(root: etree._Element, recover_title: bool, menus: bool) -> PageText | str:
    """The page's text; or, where an unclosed <title> swallowed the page and
    `recover_title` is set, its source."""
    pieces: list[tuple[str, bool]] = []  # text or a break, and whether inside a link
    hidden: list[int] = []  # indexes of the texts inside <noscript>
    links = fallback = 0  # depth of <a> and of <noscript> elements around the walk
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if not isinstance(tag, str):  # comments and entities: lxml gives a function
            tag = ""
        if event == "start":
            if tag in SKIPPED:
                # An unclosed <title> holds the rest of the page as its text (browsers
                # recover the page; libxml2 does not): that source is rendered instead.
                text = element.text
                if tag == "title" and recover_title and text and _is_markup(text):
                    return text[text.index("<") :]
                walker.skip_subtree()
                continue
            if not menus and _is_site_menu(tag, element):
                walker.skip_subtree()
                continue
            if tag in BLOCKS:
                pieces.append((PARAGRAPH_BREAK, False))
            elif tag == "br":
                pieces.append((LINE_BREAK, False))
            links += tag == "a"
            fallback += tag == "noscript"
            if element.text:
                if fallback:
                    hidden.append(len(pieces))
                pieces.append((element.text, links > 0))
        else:
            links -= tag == "a"
            fallback -= tag == "noscript"
            if tag in BLOCKS:
                pieces.append((PARAGRAPH_BREAK, False))
            if element.tail and element is not root:
                if fallback:
                    hidden.append(len(pieces))
                pieces.append((element.tail, links > 0))
    return _assemble(_without_noscript_notices(pieces, hidden) if hidden else pieces)


def _is_site_menu(tag: str, element: etree._Element) -> bool:
    """A <nav>, or a <header> of the site's (outside the article, without its headline):
    menus, no page text. Not one that holds the page's main content, as markup left
    open in a menu makes the parser nest the rest of the page inside it."""
    if tag == "header":
        if next(element.iterancestors("article", "main"), None) is not None:
            return False
        if next(element.iter("h1"), None) is not None:
            return False
    elif tag != "nav":
        return False
    return next(element.iter("main", "article"), None) is None


def _without_noscript_notices(
    pieces: list[tuple[str, bool]], hidden: list[int]
) -> list[tuple[str, bool]]:
    """<noscript> text counts only where it is most of the page's text (an app that
    renders its page with scripts puts a copy of it there for crawlers); elsewhere it
    is a notice to turn scripts on, or an image's fallback."""
    in_noscript = set(hidden)
    fallback = sum(len(pieces[at][0].strip()) for at in in_noscript)
    shown = sum(len(text.strip()) for text, _ in pieces) - fallback
    if fallback > shown:
        return pieces
    return [piece for at, piece in enumerate(pieces) if at not in in_noscript]


def _assemble(pieces: list[tuple[str, bool]]) -> PageText:
    """Collapse HTML white space; the strongest break between two texts wins."""
    lines: list[str] = []
    link_shares: dict[str, float] = {}
    line: list[str] = []
    linked = 0  # characters of the line inside links
    pending = ""
    for piece, in_link in pieces:
        if piece in (LINE_BREAK, PARAGRAPH_BREAK):
            if len(piece) > len(pending):
                pending = piece
            continue
        if not piece.strip():  # white space only (most pieces between tags)
            if line and not pending:
                line.append(" ")
            continue
        if pending and line:
            _end_line(line, linked, lines, link_shares)
            lines.extend([""] * (len(pending) - 1))
            line, linked = [], 0
        pending = ""
        text = _SPACE_RUN.sub(" ", piece)
        line.append(text)
        linked += len(text.replace(" ", "")) if in_link else 0
    if line:
        _end_line(line, linked, lines, link_shares)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
    return PageText(text, link_shares)


# A line is all link text when links hold this share of its characters (the rest is
# the separators and bullets between them).
LINK_LINE_SHARE = 0.9


def _end_line(
    line: list[str], linked: int, lines: list[str], link_shares: dict[str, float]
) -> None:
    text = "".join(line).strip()
    lines.append(text)
    if text and linked:
        share = min(linked / len(text.replace(" ", "")), 1.0)
        link_shares[text] = max(share, link_shares.get(text, 0.0))
