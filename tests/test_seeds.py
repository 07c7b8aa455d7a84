"""The five founding documents come out exactly: body lines, title and date."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURE_SEEDS, body_lines, seed_names
from stripper import strip
from stripper.cli import app

SEEDS = seed_names(FIXTURE_SEEDS)


def expected(directory: Path, name: str) -> tuple[list[str], dict]:
    body = (directory / "expected" / f"{name}.txt").read_text(encoding="utf-8")
    meta = json.loads((directory / "expected" / f"{name}.meta.json").read_text(encoding="utf-8"))
    return body_lines(body), meta


def check_seed(directory: Path, name: str) -> None:
    raw = (directory / "input" / f"{name}.txt").read_text(encoding="utf-8")
    lines, meta = expected(directory, name)
    result = strip(raw)
    assert body_lines(result.body) == lines
    assert result.title == meta.get("title")
    assert result.date == meta.get("date")


def test_fixture_seeds_are_all_there():
    assert len(SEEDS) == 5


@pytest.mark.parametrize("name", SEEDS)
def test_fixture_seed_comes_out_exactly(name):
    check_seed(FIXTURE_SEEDS, name)


@pytest.mark.parametrize("name", SEEDS)
def test_shared_seed_comes_out_exactly(shared_seeds, name):
    check_seed(shared_seeds, name)


def test_fixture_copy_matches_shared_seeds(shared_seeds):
    for name in seed_names(shared_seeds):
        for part in ("input", "expected"):
            for path in (shared_seeds / part).glob(f"{name}*"):
                assert (FIXTURE_SEEDS / part / path.name).read_bytes() == path.read_bytes()


@pytest.mark.parametrize("name", SEEDS)
def test_seed_through_cli_json(name):
    lines, meta = expected(FIXTURE_SEEDS, name)
    path = FIXTURE_SEEDS / "input" / f"{name}.txt"
    result = CliRunner().invoke(app, ["--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert body_lines(record["body"]) == lines
    assert record["title"] == meta.get("title")
    assert record["date"] == meta.get("date")


@pytest.mark.parametrize("name", SEEDS)
def test_expected_body_passes_untouched(name):
    """Clean text comes out unchanged: each seed's expected body fed back in."""
    clean = (FIXTURE_SEEDS / "expected" / f"{name}.txt").read_text(encoding="utf-8")
    result = strip(clean)
    assert result.removed == []
    assert body_lines(result.body) == body_lines(clean)


@pytest.mark.parametrize("name", SEEDS)
def test_every_removal_has_offsets_into_the_input(name):
    raw = (FIXTURE_SEEDS / "input" / f"{name}.txt").read_text(encoding="utf-8")
    for removal in strip(raw).removed:
        assert raw[removal.start : removal.end] == removal.text
        assert removal.reason.stage and removal.reason.rule
