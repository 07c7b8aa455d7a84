"""Cases a review found: each once removed real text, hung, or crashed."""

import json

import pytest
from typer.testing import CliRunner

from stripper import Config, InputFormat, Stripper, strip
from stripper.cli import app
from stripper.inputs import sniff
from stripper.text import is_prose

P = "The city council approved the new budget on Tuesday after a long debate about transport."
P2 = "Officials said the plan would add two new bus lines and repair several old bridges soon."
RULES_ONLY = Stripper(Config(use_model=False))


def test_breadcrumb_with_doubled_spaces_does_not_backtrack_forever():
    items = ["Home", "News", "Sport", "Business", "Culture", "Travel", "Weather", "Video"] * 2
    menu = "  |  ".join(items) + "  |"
    result = strip(f"{P}\n{menu}\n{P2}")
    assert [r.reason.rule for r in result.removed] == ["breadcrumb/any"]


def test_interview_under_a_marker_like_subheading_keeps_its_answers():
    answers = [
        "That people care much more about buses than about new roads, and that they vote on it.",
        "Yes, without any doubt, and I would start the campaign much earlier next time around.",
    ]
    text = "\n".join(
        [P, P2, "More from the interview", "What did you learn from the campaign?", answers[0],
         "Would you run again?", answers[1]]
    )  # fmt: skip
    body = strip(text).body.splitlines()
    assert all(answer in body for answer in answers)


@pytest.mark.parametrize(
    "lines",
    [
        ["You will need:", "- Flour", "- Sugar", "- Two eggs", "- Butter"],
        ["“Never put off till tomorrow what you can do the day after.”", "— Mark Twain"],
        ["Von Anfang an", "Par Ailleurs", "Door Nederland", "Por España"],
        ["(c) ask the state for more money to fund the new bus lines across the region"],
        ["Watch next week as the council debates the plan again in a public session downtown."],
        ["Published in 1851, Moby Dick sold poorly"],
    ],
)
def test_ordinary_lines_that_look_like_chrome_stay(lines):
    # The rules' patterns must not take these for chrome (the model judges them on its own).
    text = "\n".join([P, P2, *lines, P, P2])
    assert RULES_ONLY.strip(text).removed == []


def test_lists_at_the_start_and_end_stay():
    head = ["Key points", "- Budget approved", "- Two new bus lines", "- Bridges repaired"]
    # Menu runs never take bulleted items (the rule under test; the model scores them apart).
    assert RULES_ONLY.strip("\n".join([*head, P, P2])).body.splitlines()[1:] == [*head[1:], P, P2]
    tail = [
        "- two new bus lines running every ten minutes from the airport to the central station",
        "- repairs to several old bridges that have been closed to heavy traffic since 2019",
    ]
    assert RULES_ONLY.strip("\n".join([P, P2, *tail])).removed == []


def test_a_question_opening_the_text_is_not_a_title():
    result = strip(f"Why does the sky look blue during the day?\n{P}\n{P2}")
    assert result.title is None and result.removed == []


@pytest.mark.parametrize(
    "text",
    [
        f"Budget vote ends decade of debate\nWhy did the council vote against the plan?\n{P}\n{P2}",
        "Advertisement\nThe rain falls softly on the old stone bridge tonight,\n"
        "and all the lamps along the river burn their light,\n"
        "while somewhere down the valley someone sings a song\n"
        "that no one in the village has remembered long.",
    ],
)
def test_found_idempotence_counterexamples(text):
    once = strip(text).body
    assert strip(once).body == once


def test_prose_about_html_tags_is_text_not_html():
    text = (
        "Use the <p> tag for paragraphs and the <a> tag for links in your page.\n"
        "The <div> and <span> elements group content, and <br> breaks a line.\n"
    )
    assert sniff(text) is InputFormat.TEXT
    assert Stripper(Config(input_format=InputFormat.AUTO)).strip(text).body == text.strip()


@pytest.mark.parametrize(
    "bad",
    [
        '{"text": "\\ud800 lone surrogate"}',
        "[" * 100_000 + "]" * 100_000,
        '{"n": ' + "1" * 5000 + "}",
    ],
)
def test_jsonl_odd_records_never_end_the_run(bad):
    stream = f"{bad}\n" + json.dumps({"text": "Still cleaned."}) + "\n"
    result = CliRunner().invoke(app, ["--jsonl"], input=stream)
    assert "Traceback" not in result.output
    last = json.loads(result.stdout.splitlines()[-1])
    assert last["text"] == "Still cleaned."


# A whole article in one cell of an old table layout, as trafilatura writes it: one row,
# many sentences, ending on the page's "continued" link rather than a full stop.
ARTICLE_CELL = (
    "Today the indicators for disarmament signal stagnation for the first time in a decade. "
    "Military spending rose again in most regions, and several states bought new weapons. "
    "Initiatives against landmines and small arms have had some success in their own terms. "
    "The issue is high on the policy agenda, partly under pressure from civil society. "
    "Governments increasingly address the threats to human security posed by small arms, "
    "but in practice their political declarations have not yet been fully implemented. "
    "Spending on arms control fell in almost every state that reported its figures. "
    "continued"
)


def test_an_article_in_one_table_cell_under_a_marker_stays():
    rows = ["| Index |", "| Projects |", "| Related Articles |", "| Contact |"]
    text = "\n".join([*rows, f"|  | {ARTICLE_CELL} |", "| Issue areas |"])
    result = RULES_ONLY.strip(text)
    assert ARTICLE_CELL in result.body.splitlines()
    assert "Related Articles" not in result.body


def test_an_article_after_a_headline_below_a_marker_is_no_listing():
    """A headline over a paragraph reads like a related-story item, but a paragraph of an
    article's length is no lede: the marker's cut stops at it."""
    question = "How does the victory in the playoffs change your opinion about the new stadium?"
    text = "\n".join(
        [question, "Sponsored Links", "More World news", ARTICLE_CELL.removesuffix(" continued")]
    )
    body = RULES_ONLY.strip(text).body.splitlines()
    assert ARTICLE_CELL.removesuffix(" continued") in body


def test_code_on_one_long_line_is_not_running_text():
    code = "var ie=document.all? document.getElementById? a : b; " * 20
    assert not is_prose(code.strip(), 10)
    assert is_prose(ARTICLE_CELL, 10)


def test_rows_of_a_data_table_are_not_breadcrumbs():
    rows = ["Credit Hour | $337 | $516", "Bachelor's Degree | 40,536 | 63,185"]
    assert RULES_ONLY.strip("\n".join([P, *rows, P2])).removed == []
    assert RULES_ONLY.strip(f"{P}\nHome | News | World\n{P2}").removed != []


def test_a_menus_comments_link_does_not_take_the_headline_below_it():
    headline = "Council backs the new bus lines"
    lede = "Some members of the council said something quite unexpected after the vote:"
    menu = ["Home", "About", "Contact", "Posts", "Comments", "Get Posts by E-mail"]
    result = RULES_ONLY.strip("\n".join([*menu, headline, lede, P, P2]))
    assert f"{headline}\n{lede}\n{P}\n{P2}" in result.body
    assert "Home" not in result.body
