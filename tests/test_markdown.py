"""Markdown input: judged by its plain words, written out as it came."""

import pytest

from stripper import strip
from stripper.markdown import LINK_LINE_SHARE, link_share, plain

STORY = [
    "The city council approved the new budget on Tuesday after a long debate about the "
    "future of [public transport](https://example.com/transport) in the region, which has "
    "been underfunded for a decade.",
    "Officials said the plan would add two new bus lines, repair several **old bridges** "
    "and hire more drivers, although unions warned that the timetable was far too ambitious.",
    "The budget takes effect in January and will be reviewed again at the end of next year, "
    "when the council expects to publish a full report on how the money was spent.",
]


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("## Related Articles ##", "Related Articles"),
        ('* [Home](https://example.com/ "Home page")', "Home"),  # a menu item, no bullet
        ("1. ### [A headline](https://example.com/a)", "A headline"),
        ("- a plain list item", "- a plain list item"),
        ("![Photo: EPA](https://example.com/a.jpg)", "Photo: EPA"),
        ("![](https://example.com/a.jpg)", "![](https://example.com/a.jpg)"),  # nothing left
        ("> a [quote](https://en.wikipedia.org/wiki/Quote_(film)) in it", "a quote in it"),
        ("**Share this article**", "Share this article"),
        ("a snake_case__name and 2**10 stay", "a snake_case__name and 2**10 stay"),
        ("#hashtag", "#hashtag"),
        ("Read the [report][1] or <https://example.com>", "Read the report or https://example.com"),
    ],
)
def test_plain_words_of_a_markdown_line(line, words):
    assert plain(line) == words


@pytest.mark.parametrize(
    "line",
    [
        "[Home](/) | [News](/news) | [Sport](/sport)",
        "* [Another story about something else](https://example.com/a)",
        "1. ### [Play Another story![](https://example.com/a.jpg)](/b)",
    ],
)
def test_a_line_of_links_is_a_link_line(line):
    assert link_share(line) >= LINK_LINE_SHARE


def test_link_share_counts_the_shown_characters_of_links():
    assert link_share("Plain text without links") == 0.0
    assert link_share("![a photo of the harbour](https://example.com/a.jpg)") == 0.0
    assert link_share("[ab](https://example.com/a) cd") == pytest.approx(0.5)
    assert 0 < link_share(STORY[0]) < LINK_LINE_SHARE


def test_markdown_chrome_goes_and_the_story_comes_out_as_written():
    page = "\n\n".join(
        [
            "* [Home](https://example.com/)",
            "* [News](https://example.com/news)",
            "* [Sport](https://example.com/sport)",
            *STORY,
            "![Photo: EPA](https://example.com/a.jpg)",
            "## Related Articles",
            "* [Another story about something else entirely](https://example.com/a)",
            "* [Yet another story about other things](https://example.com/b)",
            "**Share this article**",
        ]
    )
    result = strip(page)
    assert result.body == "\n\n".join(STORY)
    reasons = {r.text: r.reason.rule for r in result.removed}
    assert reasons["![Photo: EPA](https://example.com/a.jpg)"] == "caption/any"
    assert reasons["## Related Articles"] == "en"
    for span in result.kept:
        assert page[span.start : span.end] == span.text
    shares = {block.written: block.link_share for block in result.blocks}
    assert shares["* [Home](https://example.com/)"] == 1.0
    assert 0 < shares[STORY[0]] < LINK_LINE_SHARE
