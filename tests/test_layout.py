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
