"""Markdown read as the words a reader sees: what scrapers that write Markdown leave.

Link targets, image addresses and the marks of headings, quotes and emphasis say
nothing about whether a line is article text, and their tokens would: the rules and
the model judge a line by its plain words, and the line goes out as it was written.
"""

from __future__ import annotations

import re

# ![alt](address "title"), [text](address "title"): an address may hold one level of
# parentheses (Wikipedia's), and its title any quoted text.
_TARGET = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\s*\)"
IMAGE = re.compile(r"!\[([^\]]*)\]" + _TARGET)
LINK = re.compile(r"\[([^\]]*)\]" + _TARGET)
REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
HEADING = re.compile(r"#{1,6}\s+(.*?)(?:\s+#+)?")
QUOTE = re.compile(r"(?:>\s?)+")
# The bullet of a list item that is a link or a heading: page text renderers write a
# menu's items and a list of headlines without bullets.
LINKED_ITEM = re.compile(r"(?:[*+-]|\d{1,3}[.)])\s+(?=!?\[|#)")
STRONG = re.compile(r"(?<!\w)(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?!\w)")
# A line that links hold this share of (its other characters being bullets, separators
# and spaces) is all link text, as HTML input's lines can be.
LINK_LINE_SHARE = 0.8


def plain(line: str) -> str:
    """The line without Markdown's marks; the line itself when nothing would be left
    (an image without alt text, a link without text)."""
    if not ("[" in line or "#" in line or line.startswith(">") or "**" in line or "__" in line):
        return line
    text = QUOTE.sub("", line, count=1) if line.startswith(">") else line
    text = LINKED_ITEM.sub("", text, count=1) if text[:1] in "*+-0123456789" else text
    if heading := HEADING.fullmatch(text):
        text = heading.group(1)
    text = IMAGE.sub(r"\1", text)
    text = LINK.sub(r"\1", text)
    text = REFERENCE_LINK.sub(r"\1", text)
    text = AUTOLINK.sub(r"\1", text)
    text = STRONG.sub(r"\2", text).strip()
    return text or line


def link_share(line: str) -> float:
    """The share of the Markdown line's shown characters that are link text."""
    if "[" not in line:
        return 0.0
    linked = sum(len(m.group(1).replace(" ", "")) for m in LINK.finditer(IMAGE.sub("", line)))
    shown = len(plain(line).replace(" ", ""))
    return min(linked / shown, 1.0) if linked and shown else 0.0
