"""HTML input goes through an HTML-to-text step, then the same pipeline."""

import pytest

from stripper import Config, InputFormat, Stripper
from stripper.inputs import render_html, sniff

PAGE = """<!DOCTYPE html><html><head><title>Budget</title><style>p{color:red}</style>
<script>var x = "<p>not text</p>";</script></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/tech">Tech</a></li></ul></nav>
<h1>Council approves new city budget</h1>
<p>The city council approved the new budget on Tuesday after a long debate about transport.</p>
<figure><img src="a.jpg"><figcaption>Photo: EPA</figcaption></figure>
<p>Officials said the plan would add two new bus lines and repair <b>several</b> old bridges.</p>
<p>Critics argued that the spending was too high,<br>but the mayor said it was long overdue.</p>
<h2>Related Articles</h2><ul><li><a href="/a">Storm hits the coast</a></li>
<li><a href="/b">Election results in full</a></li></ul>
<footer>© 2025 Example Media. All rights reserved.</footer></body></html>"""


ARTICLE = [
    "The city council approved the new budget on Tuesday after a long debate about transport.",
    "Officials said the plan would add two new bus lines and repair several old bridges.",
    "Critics argued that the spending was too high, but the mayor said it was long overdue.",
]


STORY_HTML = "".join(f"<p>{s}</p>" for s in ARTICLE)


def test_rendered_html_has_one_block_per_element_and_no_script():
    text = render_html(PAGE).text
    assert "not text" not in text and "color:red" not in text
    assert "repair several old bridges." in text
    assert text.startswith("Council approves new city budget\n\n")  # no <nav> menu


def test_a_nav_is_no_page_text_unless_the_page_is_inside_it():
    menu = "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
    text = render_html(f"<html><body>{menu}{STORY_HTML}</body></html>").text
    assert "Home" not in text and ARTICLE[1] in text
    # The model's training keeps them: it learns menus from every rendering.
    assert "Home" in render_html(f"<html><body>{menu}{STORY_HTML}</body></html>", menus=True).text
    # Markup left open in a menu makes the parser nest the rest of the page inside it.
    # A site's header goes too; an article's keeps its headline.
    header = "<header><a href='/'>Millbrook Courier</a></header>"
    own = f"<article><header><h1>Ferry cuts</h1></header>{STORY_HTML}</article>"
    text = render_html(f"<html><body>{header}{own}</body></html>").text
    assert "Millbrook" not in text and text.startswith("Ferry cuts")
    for main in ("main", "article"):
        nested = f"<nav><ul><li><a href='/'>Home</a><{main}>{STORY_HTML}</{main}></li></ul></nav>"
        assert ARTICLE[1] in render_html(f"<html><body>{nested}</body></html>").text


def test_html_page_is_cleaned():
    result = Stripper(Config(input_format=InputFormat.HTML)).strip(PAGE)
    assert result.title == "Council approves new city budget"
    assert result.body.split("\n\n") == [
        "The city council approved the new budget on Tuesday after a long debate about transport.",
        "Officials said the plan would add two new bus lines and repair several old bridges.",
        "Critics argued that the spending was too high,",  # a <br> breaks the line
        "but the mayor said it was long overdue.",
    ]
    stages = {r.text: r.reason.stage for r in result.removed}
    assert stages["Photo: EPA"] == "inline_chrome"
    assert stages["Storm hits the coast"] == "section_marker"
    assert stages["© 2025 Example Media. All rights reserved."] == "inline_chrome"


def test_auto_sniffs_html_and_text():
    assert sniff(PAGE) is InputFormat.HTML
    assert sniff("Plain text about <b> tags in prose.") is InputFormat.TEXT
    auto = Stripper(Config(input_format=InputFormat.AUTO))
    assert "<p>" not in auto.strip(PAGE).body


def test_broken_and_empty_html_do_not_crash():
    html = Stripper(Config(input_format=InputFormat.HTML))
    for page in ["", "<html>", "<<<>>>", "<?xml version='1.0' encoding='latin-1'?><html/>", "\x00"]:
        assert isinstance(html.strip(page).body, str)


def test_page_source_passed_off_as_text_is_rendered():
    # A renderer that tripped on an unclosed <title> hands on the rest of the page as
    # one line of source: the article is in there, between the tags.
    source = "Council approves budget</title>" + " ".join(PAGE.split("\n")[1:])
    text = Stripper().strip(source)
    html = Stripper(Config(input_format=InputFormat.HTML)).strip(PAGE)
    assert "<" not in text.body and "not text" not in text.body
    assert text.body.endswith(html.body)  # the whole article, after the title's text


def test_a_page_that_an_unclosed_title_swallowed_is_rendered():
    # libxml2 reads everything after an unclosed <title> as the title's text, so the
    # page seemed empty; browsers recover the page, and so do we.
    swallowed = PAGE.replace("<title>Budget</title>", "<title>Budget")
    assert render_html(swallowed).text == render_html(PAGE).text
    assert "Officials said the plan" in render_html(swallowed).text


def test_unclosed_titles_nested_deep_are_no_crash():
    # Crafted input: each level would be one more parse (and recursion overflowed).
    page = "<title>" * 2500 + STORY_HTML * 10
    assert isinstance(render_html(page).text, str)
    assert Stripper(Config(input_format=InputFormat.HTML)).strip(page).body is not None


def test_body_elements_the_parser_leaves_in_the_head_are_rendered():
    # An unknown tag before <body> keeps the parser in <head>: the article is there.
    page = f"<html><head><title>Budget</title><mbox>{STORY_HTML}</mbox></html>"
    assert render_html(page).text.split("\n\n") == [*ARTICLE[:2], ARTICLE[2] + "\n"]


def test_noscript_text_counts_where_it_is_most_of_the_page():
    # An app that renders its page with scripts leaves a copy for crawlers in <noscript>.
    app = (
        f"<html><body><div id='app'>Loading...</div><noscript>{STORY_HTML}</noscript></body></html>"
    )
    assert ARTICLE[1] in render_html(app).text
    # Elsewhere <noscript> holds a notice to turn scripts on, which is no page text.
    notice = "<noscript><p>Please enable JavaScript to view the comments.</p></noscript>"
    page = f"<html><body>{STORY_HTML}{notice}</body></html>"
    assert "enable JavaScript" not in render_html(page).text
    assert ARTICLE[1] in render_html(page).text


def test_text_quoting_some_markup_stays_text():
    lines = [f"Step {n}: wrap the caption in <p> and close it with </p>." for n in range(12)]
    text = "\n".join(lines) + "\n"
    result = Stripper(Config(use_model=False)).strip(text)
    assert result.body.count("<p>") == 12


PARAGRAPHS = [
    "The city council approved the new budget on Tuesday after a long debate about transport.",
    "Officials said the plan would add two new bus lines and repair several old bridges soon.",
    "Critics argued that the spending was too high, but the mayor said it was long overdue.",
]
OTHER_STORIES = [
    "Storm hits the northern coast overnight",
    "Election results in full for every ward",
    "City zoo welcomes a giant panda from China",
]


def test_lines_that_are_all_link_text_are_marked():
    page = render_html(PAGE)
    assert {"Storm hits the coast", "Election results in full"} <= page.link_lines
    assert not any("Officials said" in line for line in page.link_lines)
    partly_linked = render_html("<p>Read <a href='/x'>the report</a> before the vote.</p>")
    assert partly_linked.link_lines == frozenset()
    # "thereport" of "Readthereportbeforethevote."
    assert partly_linked.link_shares == {"Read the report before the vote.": pytest.approx(9 / 27)}


def test_a_list_of_links_after_the_story_goes_without_a_marker():
    story = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    links = "".join(f"<div><a href='/{n}'>{t}</a></div>" for n, t in enumerate(OTHER_STORIES))
    inline = "See <a href='/r'>the full report</a> for the figures of every district."
    page = (
        f"<html><body><h1>Council passes the budget</h1>{story}<p>{inline}</p>{links}</body></html>"
    )
    result = Stripper(Config(input_format=InputFormat.HTML)).strip(page)
    paragraph_with_a_link = "See the full report for the figures of every district."
    assert result.body.split("\n\n") == [*PARAGRAPHS, paragraph_with_a_link]
    assert {r.text: r.reason.stage for r in result.removed if r.text in OTHER_STORIES} == {
        t: "link_list" for t in OTHER_STORIES
    }


def test_link_lists_stay_on_a_page_without_a_story():
    shop = "".join(f"<li><a href='/{n}'>{t}</a></li>" for n, t in enumerate(OTHER_STORIES))
    page = f"<html><body><p>{PARAGRAPHS[0]}</p><ul>{shop}</ul></body></html>"
    result = Stripper(Config(input_format=InputFormat.HTML, use_model=False)).strip(page)
    assert all(t in result.body for t in OTHER_STORIES)
