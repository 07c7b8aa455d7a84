"""The command line, through typer's CliRunner."""

import json

import pytest
from typer.testing import CliRunner

from conftest import FIXTURE_SEEDS
from stripper import __version__
from stripper.cli import app

SEED = FIXTURE_SEEDS / "input" / "002_8a944e28370b9769.txt"
ARTICLE = (
    "The city council approved the new budget on Tuesday after a long debate about transport.\n"
    "Photo: EPA\n"
    "Officials said the plan would add two new bus lines and repair several old bridges soon.\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_stdin_to_stdout(runner):
    result = runner.invoke(app, [], input=ARTICLE)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [ARTICLE.splitlines()[0], ARTICLE.splitlines()[2]]


def test_dash_reads_stdin_and_clean_is_the_default_command(runner):
    plain = runner.invoke(app, ["-"], input=ARTICLE)
    named = runner.invoke(app, ["clean", "-"], input=ARTICLE)
    assert plain.stdout == named.stdout != ""


def test_file_argument(runner):
    result = runner.invoke(app, [str(SEED)])
    assert result.exit_code == 0
    assert "Photo: EPA" not in result.stdout
    assert "CHIP RACE" not in result.stdout


def test_several_files_get_headers(runner, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, [str(SEED), str(other)])
    assert result.exit_code == 0
    assert result.stdout.count("==> ") == 2


def test_json_output_has_body_title_date_and_removals(runner):
    result = runner.invoke(app, ["--format", "json"], input=ARTICLE)
    record = json.loads(result.stdout)
    assert set(record) >= {"body", "title", "date", "removed", "kept"}
    (removal,) = record["removed"]
    assert removal["text"] == "Photo: EPA"
    assert ARTICLE[removal["start"] : removal["end"]] == "Photo: EPA"
    assert removal["stage"] == "inline_chrome" and removal["rule"] == "caption/any"


def test_explain_shows_every_line_with_reasons(runner):
    result = runner.invoke(app, ["--explain"], input=ARTICLE)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "keep" in lines[0] and "DROP" in lines[1] and "inline_chrome/caption" in lines[2]
    assert "\x1b[" not in result.stdout  # no colour when not a terminal


def test_html_input(runner):
    page = (
        "<html><body><nav><a>Home</a><p>World</p><p>Sport</p></nav><p>"
        + ARTICLE.splitlines()[0]
        + "</p></body></html>"
    )
    result = runner.invoke(app, ["--input", "html"], input=page)
    assert result.stdout.strip() == ARTICLE.splitlines()[0]
    auto = runner.invoke(app, ["--input", "auto"], input=page)
    assert auto.stdout == result.stdout


def test_jsonl_records_in_order_with_other_fields_untouched(runner):
    records = [
        {"id": 1, "text": ARTICLE, "url": "https://example.com/a"},
        {"id": 2, "text": "Short clean text.", "lang": "en"},
    ]
    stream = "".join(json.dumps(r) + "\n" for r in records)
    result = runner.invoke(app, ["--jsonl", "--field", "text"], input=stream)
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in out] == [1, 2]
    assert out[0]["url"] == "https://example.com/a" and out[1]["lang"] == "en"
    assert "Photo: EPA" not in out[0]["text"]
    assert out[0]["stripper"] == {"title": None, "date": None, "removed": 1}
    assert out[1]["text"] == "Short clean text."


def test_jsonl_with_html_field(runner):
    record = {"html": "<html><body><p>" + ARTICLE.splitlines()[0] + "</p></body></html>"}
    result = runner.invoke(
        app, ["--jsonl", "--field", "html", "--input", "html"], input=json.dumps(record)
    )
    assert json.loads(result.stdout)["html"] == ARTICLE.splitlines()[0]


def test_jsonl_bad_records_are_reported_passed_through_and_the_run_goes_on(runner):
    stream = '{"text": "Fine text."}\nnot json\n[1, 2]\n{"text": 5}\n{"text": "Also fine."}\n'
    result = runner.invoke(app, ["--jsonl"], input=stream)
    assert result.exit_code == 1
    out = result.stdout.splitlines()
    assert len(out) == 5
    assert out[1] == "not json"
    assert json.loads(out[3])["stripper"]["error"].startswith("field 'text'")
    assert json.loads(out[4])["text"] == "Also fine."
    assert "<stdin>:2" in result.stderr and "<stdin>:4" in result.stderr


def test_missing_file_is_one_line_error_and_non_zero_exit(runner, tmp_path):
    result = runner.invoke(app, [str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "cannot read" in result.stderr and "Traceback" not in result.stderr


def test_undecodable_bytes_are_replaced_with_a_warning(runner):
    result = runner.invoke(app, [], input=b"Caf\xe9 society returns to the city centre.\n")
    assert result.exit_code == 0
    assert "\ufffd" in result.stdout
    assert "invalid UTF-8" in result.stderr


def test_empty_input_gives_empty_output(runner):
    result = runner.invoke(app, [], input="")
    assert result.exit_code == 0 and result.stdout == ""


def test_version_and_help(runner):
    assert runner.invoke(app, ["--version"]).stdout.strip() == f"stripper {__version__}"
    help_text = runner.invoke(app, ["--help"]).stdout
    for option in ("--format", "--explain", "--input", "--jsonl", "--field"):
        assert option in help_text


def test_unknown_option_is_a_usage_error(runner):
    result = runner.invoke(app, ["--no-such-option"])
    assert result.exit_code == 2
