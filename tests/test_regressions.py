"""Cases a review found: each once removed real text, hung, or crashed."""

import json

import pytest
from typer.testing import CliRunner

from stripper import Config, InputFormat, Stripper, strip
from stripper.cli import app
from stripper.inputs import sniff

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
