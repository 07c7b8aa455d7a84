"""How other scrapers turn a page's HTML into text: the renderings the model is trained
on (`stripper train`, which adds stripper's own `render_html`) and the benchmark's input
modes, from one place so the two never differ. Each renderer is imported when first used
(html-text and html2text come with the `train` and `bench` extras)."""

from __future__ import annotations

import warnings


def scraper_text(page: str, how: str) -> str:
    """`page` (HTML) as one scraper would see it ("" when that renderer finds nothing)."""
    if how == "html_text":
        import html_text

        return html_text.extract_text(page, guess_layout=True)
    if how == "soup":  # every text node a line: a sentence breaks at each of its links
        from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

        with warnings.catch_warnings():  # pages that start <?xml ...?> are still HTML
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            return BeautifulSoup(page, "lxml").get_text("\n")
    if how == "markdown":  # as scrapers that write Markdown give it (no line width)
        import html2text

        converter = html2text.HTML2Text()
        converter.body_width = 0
        return converter.handle(page)
    if how == "trafilatura":
        import trafilatura

        return trafilatura.extract(page) or ""
    raise ValueError(f"unknown rendering {how!r}")
