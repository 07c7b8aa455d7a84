"""Any line layout reads as the same paragraphs; nothing about the words changes."""

import textwrap

from stripper import strip
from stripper.layout import segment

PARAGRAPHS = [
    "The city council approved the new budget on Tuesday after a long debate about the future "
    "of public transport in the region, which has been underfunded for a decade.",
    "Officials said the plan would add two new bus lines, repair several old bridges and hire "
    "more drivers, although unions warned that the timetable was far too ambitious.",
    "The budget takes effect in January and will be reviewed again at the end of next year, "
    "when the council expects to publish a full report on how the money was spent.",
]


def test_one_paragraph_a_line():
    text = "\n".join(PARAGRAPHS)
    assert strip(text).body == text


def test_blank_line_paragraphs_keep_their_blank_lines():
    text = "\n\n".join(PARAGRAPHS)
    assert strip(text).body == text


def test_hard_wrapped_paragraphs_are_rejoined():
    wrapped = "\n\n".join(textwrap.fill(p, width=72) for p in PARAGRAPHS)
    assert all(len(line) <= 72 for line in wrapped.splitlines())
    assert strip(wrapped).body.split("\n\n") == PARAGRAPHS


def test_hard_wrapped_without_blank_lines_is_not_merged_into_one_line_per_sentence():
    wrapped = "\n".join(textwrap.fill(p, width=60) for p in PARAGRAPHS)
    body = strip(wrapped).body
    assert " ".join(body.split()) == " ".join(" ".join(PARAGRAPHS).split())


def test_hyphenated_word_across_a_wrap_is_joined_without_a_space():
    text = (
        "The committee published a long report about the state of the\n"
        "national railway network, which it described as dangerously under-\n"
        "funded and badly managed by successive governments over the years.\n"
        "\n"
        "Ministers promised to respond to the findings within three months and\n"
        "said that additional money would be made available for urgent repairs.\n"
    )
    blocks, _ = segment(text)
    assert len(blocks) == 2
    assert "dangerously under-funded and badly" in blocks[0].text


def test_crlf_bom_and_odd_white_space():
    text = "\ufeff" + "\r\n".join(PARAGRAPHS) + "\r\n\u00a0\u2003\r\n\u200b\r\n"
    result = strip(text)
    assert result.body == "\n".join(PARAGRAPHS)
    assert result.removed == []


def test_kept_offsets_point_into_the_input():
    text = "\ufeff  " + "\r\n\r\n".join(PARAGRAPHS)
    for span in strip(text).kept:
        assert text[span.start : span.end] == span.text


def test_empty_and_blank_input():
    assert strip("").body == ""
    assert strip(" \n\t\n\u00a0").body == ""


def test_table_rows_are_read_without_their_borders():
    """Extractors write old table layouts as `| cell | cell |` rows: the borders go, the
    cells stay as they are, and a row of empty cells is a blank line."""
    text = "|  |  |\n| Home | News |\n|  | " + PARAGRAPHS[0] + " |\n|\n"
    blocks, _ = segment(text)
    assert [b.text for b in blocks] == ["Home | News", PARAGRAPHS[0]]
    for block in blocks:
        assert text[block.start : block.end] == block.text


def test_a_line_with_a_bar_on_one_side_only_is_not_a_table_row():
    blocks, _ = segment("| Home\nNews |\nSport | Weather |")
    assert [b.text for b in blocks] == ["| Home", "News |", "Sport | Weather |"]


def test_a_sentence_broken_at_its_links_is_read_as_one_paragraph():
    """BeautifulSoup's `get_text("\\n")` puts every inline element on a line of its own,
    with the one space around it at the break."""
    text = (
        "Posted by \nJane Doe\n on \nJune 27, 2012\n\n"
        "The report, published by the \nNational Audit Office\n, found that the \n"
        "programme\n’s costs had doubled.\n"
    )
    blocks, _ = segment(text)
    assert [b.text for b in blocks] == [
        "Posted by Jane Doe on June 27, 2012",
        "The report, published by the National Audit Office, found that the programme’s "
        "costs had doubled.",
    ]


def test_lines_of_a_list_code_or_table_are_not_pieces_of_a_sentence():
    text = (
        "Sections\n. Tennis\n. Golf\n"  # a dot as the bullet
        "» Sign in\n» Register\n"
        "def total(values):\n    return sum(values)\n"  # indented code
        "| Name | Age | \n| Ada | 36 |\n"  # table rows
    )
    blocks, _ = segment(text)
    assert [b.text for b in blocks] == [
        "Sections", ". Tennis", ". Golf", "» Sign in", "» Register",
        "def total(values):", "return sum(values)", "Name | Age", "Ada | 36",
    ]  # fmt: skip


def test_a_finished_sentence_is_not_joined_to_the_next_line():
    blocks, _ = segment(f"{PARAGRAPHS[0]} \n{PARAGRAPHS[1]}")
    assert [b.text for b in blocks] == PARAGRAPHS[:2]


def test_pieces_that_were_apart_in_the_input_stay_apart_in_the_output():
    """A cut between two kept lines must not make them one sentence when the output is
    stripped again."""
    text = f"{PARAGRAPHS[0]}\n{PARAGRAPHS[1][:-1]}\nPhoto: EPA.\n, {PARAGRAPHS[2]}"
    once = strip(text).body
    assert once == f"{PARAGRAPHS[0]}\n\n{PARAGRAPHS[1][:-1]}\n\n, {PARAGRAPHS[2]}"
    assert strip(once).body == once
