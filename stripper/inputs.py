"""Turning what users hand us (bytes, text, HTML) into text the pipeline reads."""

from __future__ import annotations

import re

from lxml import etree, html

from stripper.config import InputFormat

_HTML_START = re.compile(r"\s*(<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<(!doctype|html))", re.I)
_TAG = re.compile(r"</?(html|head|body|div|p|span|a|table|td|tr|li|ul|br|img|meta|script)\b", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SPACE_RUN = re.compile(r"\s+")

# Elements whose text is never page text.
SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas"}
)
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


def sniff(text: str) -> InputFormat:
    """HTML when the text opens like a page or is thick with common tags; else text."""
    if _HTML_START.match(text):
        return InputFormat.HTML
    return InputFormat.HTML if _tags(text) >= MIN_PAGE_TAGS and "</" in text else InputFormat.TEXT


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


def page_text(text: str, input_format: InputFormat) -> str:
    """The text the pipeline reads: HTML rendered to text.

    HTML is what `input_format` says, what AUTO sniffs, or page source handed in as
    text (`is_page_source`).
    """
    if input_format is InputFormat.AUTO:
        input_format = sniff(text)
    elif input_format is InputFormat.TEXT and is_page_source(text):
        input_format = InputFormat.HTML
    return html_to_text(text) if input_format is InputFormat.HTML else text


def html_to_text(markup: str) -> str:
    """Page text with one paragraph per block element, blank lines between them."""
    markup = _XML_DECLARATION.sub("", markup)
    if not markup.strip():
        return ""
    parser = html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = html.document_fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return ""
    # libxml2 stops at a resource limit (nesting deeper than 256 elements) and keeps what
    # it read so far: the rest of the page would vanish without a word.
    for entry in parser.error_log:
        if entry.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            raise ValueError(f"HTML parser gave up: {entry.message}")
    pieces: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if not isinstance(tag, str):  # comments and entities: lxml gives a function
            tag = ""
        if event == "start":
            if tag in SKIPPED:
                walker.skip_subtree()
                continue
            if tag in BLOCKS:
                pieces.append(PARAGRAPH_BREAK)
            elif tag == "br":
                pieces.append(LINE_BREAK)
            if element.text:
                pieces.append(element.text)
        else:
            if tag in BLOCKS:
                pieces.append(PARAGRAPH_BREAK)
            if element.tail and element is not root:
                pieces.append(element.tail)
    return _assemble(pieces)


def _assemble(pieces: list[str]) -> str:
    """Collapse HTML white space; the strongest break between two texts wins."""
    out: list[str] = []
    pending = ""
    for piece in pieces:
        if piece in (LINE_BREAK, PARAGRAPH_BREAK):
            if len(piece) > len(pending):
                pending = piece
            continue
        if not piece.strip():  # white space only (most pieces between tags)
            if out and not pending:
                out.append(" ")
            continue
        text = _SPACE_RUN.sub(" ", piece)
        if pending and out:
            out.append(pending)
        pending = ""
        out.append(text)
    lines = (line.strip() for line in "".join(out).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
