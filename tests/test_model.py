"""The learned model: the shipped file, its inference, training, and its CLI options."""

import json
import random
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import with_model
from stripper import Config, InputFormat, Stripper
from stripper.cli import app
from stripper.features import (
    UNKNOWN_LINK_SHARE,
    block_features,
    names,
    page_stop_words,
    score_features,
    second_pass_names,
)
from stripper.model import ModelError, load_model, model_from_json

ARTICLE_SENTENCES = [
    "The regional council voted on Tuesday to extend the tram line to the northern suburbs.",
    "Engineers expect the work to take three years and to cost about forty million euros.",
    "Residents of the area have asked for better public transport for more than a decade.",
    "The mayor said the first trams would run on the new tracks before the next election.",
    "Opponents argue that the money would be better spent on repairing the existing roads.",
    "A public consultation on the exact route of the line will open early next spring.",
]
MENU = ["Home", "News", "Sport", "Tennis", "Weather", "Contact us"]
RELATED = [
    "Council approves the new budget for the schools of the district",
    "Bridge repairs on the river road are delayed until the summer",
    "Local team wins the regional tennis cup after a long final",
]


def made_up_page(rng: random.Random, number: int) -> dict:
    """A page of a made-up news site: menu, headline, story, related links, footer."""
    story = rng.sample(ARTICLE_SENTENCES, 4)
    story[0] = f"Story {number}: {story[0]} Tennis fans were there too."
    menu = "".join(f"<li><a href='/{m}'>{m}</a></li>" for m in MENU)
    related = "".join(f"<li><a href='/r{i}'>{r}</a></li>" for i, r in enumerate(RELATED))
    paragraphs = "".join(f"<p>{s}</p>" for s in story)
    html = (
        f"<html><body><ul>{menu}</ul><h1>Tram line {number}</h1>{paragraphs}"
        f"<ul>{related}</ul><p>Copyright 2024 Example News</p></body></html>"
    )
    return {"id": f"page-{number}", "html": html, "gold": "\n\n".join(story)}


@pytest.fixture(scope="module")
def mini_corpus(tmp_path_factory) -> Path:
    rng = random.Random(7)
    path = tmp_path_factory.mktemp("corpus") / "mini.jsonl"
    pages = [made_up_page(rng, n) for n in range(24)]
    path.write_text("".join(json.dumps(p) + "\n" for p in pages), encoding="utf-8")
    return path


def test_shipped_model_loads_and_records_how_it_was_made():
    model = load_model()
    assert model.meta["command"].startswith("stripper train ")
    assert len(model.meta["training_data_sha256"]) == 64
    assert model.first.feature.shape == model.first.threshold.shape == model.first.value.shape


def test_scores_are_probabilities_one_per_block():
    texts = ["Home", "News", *ARTICLE_SENTENCES, "Share this article"]
    scores = load_model().scores(texts)
    assert scores.shape == (len(texts),)
    assert np.all((scores >= 0) & (scores <= 1))
    assert load_model().scores([]).shape == (0,)


def test_features_are_finite_on_odd_blocks():
    texts = ["", " ", "!!!", "x" * 5000, "日本語の文章です。", "12:30 01.02.2024", "@user #tag"]
    rows = block_features(texts, page_stop_words(texts))
    assert rows.shape == (len(texts), len(names()))
    assert np.isfinite(rows).all()


def test_features_tell_a_lone_subheading_from_a_list_of_headlines():
    headlines = ["Bridge repairs delayed", "Council approves budget", "Local team wins", "Fog"]
    texts = [*ARTICLE_SENTENCES[:2], "A new route", *ARTICLE_SENTENCES[2:4], *headlines]
    rows = block_features(texts, page_stop_words(texts))
    run = np.expm1(rows[:, names().index("non_prose_run")]).round()
    assert run.tolist() == [0, 0, 1, 0, 0, 4, 4, 4, 4]
    nearest = np.arctanh(rows[:, names().index("nearest_prose")]) * 3
    assert nearest.round().tolist() == [0, 0, 1, 0, 0, 1, 2, 3, 4]


def test_link_shares_reach_the_features_and_their_window():
    texts = [*ARTICLE_SENTENCES[:2], "Home", "News", "Sport"]
    rows = block_features(texts, page_stop_words(texts), [0.0, 0.1, 1.0, 1.0, 1.0])
    assert rows[:, names().index("link_share")].tolist() == [0.0, 0.1, 1.0, 1.0, 1.0]
    window = rows[:, names().index("link_share_window")]
    assert window[0] == pytest.approx(1.1 / 3) and window[4] == pytest.approx(1.0)
    # Text input tells nothing of links: unknown is not "no links".
    plain = block_features(texts, page_stop_words(texts), [None] * len(texts))
    assert (plain[:, names().index("link_share")] == UNKNOWN_LINK_SHARE).all()
    assert (block_features(texts, page_stop_words(texts)) == plain).all()


def test_html_input_gives_the_model_each_line_s_link_share():
    menu = "".join(f"<p><a href='/{i}'>Section {i}</a></p>" for i in range(4))
    story = "".join(f"<p>{sentence}</p>" for sentence in ARTICLE_SENTENCES[:3])
    page = f"<html><body>{menu}{story}<p>Read <a href='/x'>the report</a> today.</p></body></html>"
    blocks = Stripper(Config(input_format=InputFormat.HTML)).strip(page).blocks
    shares = {block.text: block.link_share for block in blocks}
    assert shares["Section 0"] == 1.0
    assert all(block.link_share is None for block in Stripper().strip(ARTICLE_SENTENCES[0]).blocks)
    assert shares[ARTICLE_SENTENCES[0]] == 0.0
    assert 0 < shares["Read the report today."] < 1


def test_cohesion_tells_the_story_from_another_one():
    story = [
        "The harbour authority of Valparaiso closed the port after the storm.",
        "Valparaiso dock workers said the storm damaged three cranes at the port.",
        "The authority expects the port to reopen once the cranes are repaired.",
    ]
    other = "Senators in Ottawa debated a fisheries bill late into the night."
    texts = [*story, other, "世界经济论坛在瑞士举行", "世界经济论坛开幕"]
    scores = np.array([0.9, 0.9, 0.9, 0.9, 0.9, 0.9])
    stop = page_stop_words(texts)
    rows = score_features(block_features(texts, stop), scores, texts, stop)
    cohesion = rows[:, second_pass_names().index("cohesion")]
    assert cohesion[1] > 0.3 and cohesion[2] > 0.3
    assert cohesion[3] == 0.0  # nothing it names occurs in the rest of the page
    assert cohesion[4] > 0.3  # unspaced scripts compare characters in pairs
    assert np.isfinite(rows).all()


class CutsOneMoreEachPass:
    """A stand-in model that doubts one more block each time it is asked, and notes
    the stop words it was given."""

    def __init__(self) -> None:
        self.stop_words: list[frozenset[str] | None] = []

    def scores(self, texts: list[str], stop_words=None, link_shares=None) -> np.ndarray:
        self.stop_words.append(stop_words)
        return np.array([0.1] + [0.9] * (len(texts) - 1))


def test_the_pages_language_is_found_once_on_the_page_the_model_first_sees():
    # Mostly Spanish, it ends in English: all that the model's later passes see.
    spanish = [
        "El ayuntamiento aprobó el nuevo presupuesto el martes después de un largo debate.",
        "Los funcionarios dijeron que el plan añadiría dos nuevas líneas de autobús.",
        "Los críticos dijeron que el gasto era demasiado alto para la ciudad y sus vecinos.",
    ]
    page = [*spanish, *ARTICLE_SENTENCES[:2], "Advertisement"]
    model = CutsOneMoreEachPass()
    with_model(Stripper(), model).strip("\n".join(page))
    assert len(model.stop_words) > 2
    assert set(model.stop_words) == {page_stop_words(page[:-1])}
    assert page_stop_words(spanish) == model.stop_words[-1] != page_stop_words(page[3:5])


def test_model_removals_name_the_model_and_its_score():
    text = "\n".join(["Home", "News", "Sport", "Weather", *ARTICLE_SENTENCES, *RELATED])
    result = Stripper().strip(text)
    model_removals = [r for r in result.removed if r.reason.stage == "model"]
    for removal in model_removals:
        assert removal.reason.score is not None and removal.reason.score < 0.5
    assert all(span.score is None or span.score >= 0.5 for span in result.kept)


def test_clean_article_comes_out_whole():
    text = "\n\n".join(ARTICLE_SENTENCES)
    assert Stripper().strip(text).body == text


class FixedScore:
    """A stand-in model that gives every block the same score, or `first` to the first."""

    def __init__(self, score: float, first: float | None = None) -> None:
        self.score = score
        self.first = score if first is None else first

    def scores(self, texts: list[str], stop_words=None, link_shares=None) -> np.ndarray:
        return np.array([self.first, *[self.score] * (len(texts) - 1)][: len(texts)])


def test_text_without_chrome_the_rules_know_comes_out_whole():
    clean = "\n".join(ARTICLE_SENTENCES)
    # Below the threshold (0.25), even far below: by default all stays.
    assert with_model(Stripper(), FixedScore(0.1)).strip(clean).body == clean
    assert with_model(Stripper(), FixedScore(0.001)).strip(clean).body == clean
    # One line the rules take for chrome: the text is not clean, and the threshold holds
    # where some prose passes it.
    result = with_model(Stripper(), FixedScore(0.1, first=0.6)).strip(f"{clean}\nAdvertisement")
    assert result.body == ARTICLE_SENTENCES[0]
    assert {r.reason.detail for r in result.removed if r.reason.stage == "model"} == {
        "article score below 0.25"
    }
    # A clean threshold of the user's cuts what the model is sure of...
    sure = with_model(Stripper(Config(clean_threshold=0.03)), FixedScore(0.01)).strip(clean)
    assert sure.body == ""
    assert "no chrome the rules know" in sure.removed[0].reason.detail
    # ...unless the threshold is lower still.
    low_config = Config(threshold=0.005, clean_threshold=0.03)
    assert with_model(Stripper(low_config), FixedScore(0.01)).strip(clean).body == clean


def test_a_few_short_lines_are_no_proof_that_the_text_holds_chrome():
    # A clean article may open with a short list of its own, which the menu rule takes;
    # it takes a long run of short lines for the text to count as scraped chrome.
    facts = ["Population: 2 million", "Founded: 1850", "Area: 300 km2", "Mayor: Jane Doe"]
    model = FixedScore(0.1, first=0.6)
    article = "\n".join(ARTICLE_SENTENCES)
    short = with_model(Stripper(), model).strip("\n".join([*facts, article]))
    assert short.body == article
    menu = [*facts, "Rivers: 2", "Bridges: 14"]
    long = with_model(Stripper(), model).strip("\n".join([*menu, article]))
    assert long.body == ARTICLE_SENTENCES[0]


@pytest.mark.parametrize("line", ["By Jane Smith", "Updated: 23 July 2025, 10:42"])
def test_a_byline_or_a_timestamp_is_no_proof_that_the_text_holds_chrome(line):
    # Clean articles carry them too: the rules take the line, the article stays whole.
    model = FixedScore(0.1, first=0.6)
    article = "\n".join(ARTICLE_SENTENCES)
    result = with_model(Stripper(), model).strip(f"{article}\n{line}")
    assert result.body == article
    assert [r.reason.stage for r in result.removed] == ["inline_chrome"]
    # A line that only a scraped page holds is proof: the threshold holds.
    scraped = with_model(Stripper(), model).strip(f"{article}\n{line}\nAdvertisement")
    assert scraped.body == ARTICLE_SENTENCES[0]


def test_paragraphs_cut_off_at_the_end_are_no_proof_that_the_text_holds_chrome():
    # Two last paragraphs that end mid-sentence: teasers to the tail rule, which takes
    # them, but a clean article may end so too; what the model doubts stays.
    cut_off = [
        "The full list of the stations along the new line can be found on the website of",
        "Readers who want to know more about the consultation and its dates can write to",
    ]
    model = FixedScore(0.1, first=0.6)
    result = with_model(Stripper(), model).strip("\n".join([*ARTICLE_SENTENCES, *cut_off]))
    assert {r.reason.stage for r in result.removed} == {"tail_teaser"}
    assert result.body == "\n".join(ARTICLE_SENTENCES)


def test_the_model_never_leaves_a_page_without_prose():
    # Rules found chrome, so the threshold (0.25) would hold, but it would take every
    # paragraph: the lower fallback threshold applies instead, and its article stays.
    clean = "\n".join(ARTICLE_SENTENCES)
    result = with_model(Stripper(), FixedScore(0.1)).strip(f"{clean}\nAdvertisement")
    assert result.body == clean
    # What the model is sure of still goes (below the fallback threshold), with the reason.
    sure = with_model(Stripper(), FixedScore(0.01, first=0.1)).strip(f"{clean}\nAdvertisement")
    assert sure.body == ARTICLE_SENTENCES[0]
    assert "no prose would be left" in sure.removed[0].reason.detail


class ScoresBy:
    """A stand-in model with a score for each given text and `other` for the rest."""

    def __init__(self, scores: dict[str, float], other: float) -> None:
        self.by_text = scores
        self.other = other

    def scores(self, texts: list[str], stop_words=None, link_shares=None) -> np.ndarray:
        return np.array([self.by_text.get(text, self.other) for text in texts])


def test_a_page_with_no_story_keeps_the_items_the_model_doubts():
    # A listing: headline and lede, one by one, never two paragraphs in a row, and the
    # model sure of no paragraph. Its items are what the page offers: the model's doubt
    # (0.2) is not enough there; what it is sure of (0.05) still goes.
    items = [
        line
        for headline, lede in zip(RELATED, ARTICLE_SENTENCES, strict=False)
        for line in (headline, lede)
    ]
    page = [*items, "Subscribe to our newsletter for the week's top stories", "Advertisement"]
    newsletter = page[-2]
    model = ScoresBy({ARTICLE_SENTENCES[0]: 0.5, newsletter: 0.05}, other=0.2)
    result = with_model(Stripper(), model).strip("\n".join(page))
    # (The first headline, right before a paragraph, is taken for the page's title.)
    assert [result.title, *result.body.splitlines()] == items
    reason = next(r.reason for r in result.removed if r.text == newsletter)
    assert reason.detail == "no story on the page; article score below 0.1"
    # Two paragraphs in a row are a story: the threshold holds, and what it doubts goes.
    story = "\n".join([*items[:2], *ARTICLE_SENTENCES[1:3], "Advertisement"])
    assert with_model(Stripper(), model).strip(story).body == ARTICLE_SENTENCES[0]
    # So is a paragraph the model is sure of.
    sure = ScoresBy({ARTICLE_SENTENCES[0]: 0.9, newsletter: 0.05}, other=0.2)
    assert with_model(Stripper(), sure).strip("\n".join(page)).body == ARTICLE_SENTENCES[0]


class ScoresStory:
    """A stand-in model sure of the given paragraphs and doubting every other block."""

    def __init__(self, story: list[str]) -> None:
        self.story = set(story)

    def scores(self, texts: list[str], stop_words=None, link_shares=None) -> np.ndarray:
        return np.array([0.9 if text in self.story else 0.1 for text in texts])


STORY_OPENING = [
    "Dewey Kerrigan and her father came to the Hill two years before the war ended.",
    "Dr. Gordon was away for two weeks in July, and Dewey noticed his empty desk.",
]
STORY_GOES_ON = [
    "Dr. Gordon smiled and told Dewey that the trip would take them south of the Hill.",
    "Dewey watched the brown desert go by the window while Dr. Gordon drove on south.",
]
LEGAL_NOTICE = "Readers may redistribute this material to other individuals for noncommercial use."


def test_the_story_goes_on_where_the_model_doubts_its_later_paragraphs():
    # Trained on pages that end in chrome, the model doubts a long story's later
    # paragraphs: prose that goes on from the story's kept text and shares its words
    # stays, with the reason; a notice right after it, about something else, goes.
    model = ScoresStory(STORY_OPENING)
    text = "\n".join([*STORY_OPENING, *STORY_GOES_ON, LEGAL_NOTICE, "Advertisement"])
    result = with_model(Stripper(), model).strip(text)
    assert result.body == "\n".join([*STORY_OPENING, *STORY_GOES_ON])
    kept_because = [span.kept_because for span in result.kept]
    assert kept_because[:2] == [None, None]
    assert all("goes on from the story" in (why or "") for why in kept_because[2:])
    assert [r.text for r in result.removed if r.reason.stage == "model"] == [LEGAL_NOTICE]
    # Anything else between the story and the paragraphs ends the run: they go.
    broken = "\n".join([*STORY_OPENING, "Share this", *STORY_GOES_ON, "Advertisement"])
    assert with_model(Stripper(), model).strip(broken).body == "\n".join(STORY_OPENING)


STORY_SENTENCES = [
    f"Dewey counted {n} trucks on the road south of the Hill before the sun went down."
    for n in range(2, 30)
]
SITE_BLURB = "Funny, quirky and true stories from around the world, every single day of the week."


@pytest.mark.parametrize(
    ("sentences", "kept"),
    [(STORY_SENTENCES, True), (STORY_SENTENCES[:8], False)],
    ids=["a story's length", "a bio's length"],
)
def test_a_story_run_into_one_block_stays_where_the_model_doubts_it(sentences, kept):
    # A renderer that loses the paragraph breaks leaves the whole story in one block,
    # which the model, trained on paragraphs, may doubt. 300 words of running text with
    # most of the page's prose are the story; a blurb or bio of a hundred words is not.
    block = " ".join(sentences)
    text = "\n".join(["Home", "News", "Sport", block, SITE_BLURB, "Advertisement"])
    result = with_model(Stripper(), ScoresStory([SITE_BLURB])).strip(text)
    assert (block in result.body.splitlines()) is kept
    if kept:
        span = next(span for span in result.kept if span.text == block)
        assert "run into one block" in span.kept_because


def test_threshold_moves_the_trade_off():
    text = "\n".join(["Home", "News", "Sport", *ARTICLE_SENTENCES, *RELATED, "Contact us"])
    kept = [len(Stripper(Config(threshold=t)).strip(text).kept) for t in (0.05, 0.5, 0.95)]
    assert kept[0] >= kept[1] >= kept[2]


def test_no_model_means_rules_only():
    text = "\n".join([*ARTICLE_SENTENCES, *RELATED])
    result = Stripper(Config(use_model=False)).strip(text)
    assert not [r for r in result.removed if r.reason.stage == "model"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not JSON"),
        ('{"format": "something else"}', "not a stripper model"),
        ('{"format": "stripper-model", "version": 99}', "version 99"),
    ],
)
def test_bad_model_file_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError, match=message):
        load_model(path)
    result = CliRunner().invoke(app, ["--model", str(path)], input="Some text.\n")
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_model_from_other_features_is_refused():
    data = json.loads(json.dumps({"format": "stripper-model", "version": 1, "features": ["x"]}))
    with pytest.raises(ModelError, match="other features"):
        model_from_json(data)


def test_precision_and_recall_together_is_an_error():
    result = CliRunner().invoke(app, ["--precision", "--recall"], input="Text.\n")
    assert result.exit_code == 2
    assert "one of" in result.stderr


def test_explain_shows_model_scores():
    text = "\n".join(["Home", "News", "Sport", *ARTICLE_SENTENCES])
    result = CliRunner().invoke(app, ["--explain"], input=text)
    assert result.exit_code == 0
    assert "[model 0." in result.stdout or "[model 1." in result.stdout


def test_explain_says_why_a_paragraph_the_model_doubts_was_kept(monkeypatch):
    model = ScoresStory(STORY_OPENING)
    monkeypatch.setattr("stripper.pipeline.load_model", lambda path=None: model)
    text = "\n".join([*STORY_OPENING, *STORY_GOES_ON, "Advertisement"])
    result = CliRunner().invoke(app, ["--explain"], input=text)
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if STORY_GOES_ON[0] in line)
    assert "keep" in line and "[model 0.10]" in line and "(kept: prose that goes on" in line


# Training needs the `train` extra.
pytest.importorskip("sklearn", reason="training needs the train extra (scikit-learn)")
pytest.importorskip("html_text", reason="training needs the train extra (html-text)")

from stripper.train import (  # noqa: E402  (after the extras check)
    WRAP_LINES,
    TrainSettings,
    align_labels,
    render,
    train_model,
)


def test_alignment_labels_menu_words_as_chrome_even_when_the_story_uses_them():
    blocks = ["Tennis", "Weather", ARTICLE_SENTENCES[0] + " Tennis fans were there.", "Contact"]
    gold = ARTICLE_SENTENCES[0] + " Tennis fans were there."
    assert align_labels(blocks, gold) == [False, False, True, False]


def test_alignment_keeps_a_short_heading_of_the_gold():
    blocks = ["Menu", "Tram line", ARTICLE_SENTENCES[1]]
    assert align_labels(blocks, "Tram line\n\n" + ARTICLE_SENTENCES[1]) == [False, True, True]


def test_the_wrapped_rendering_puts_the_whole_gold_between_the_pages_own_chrome():
    menu = [f"Section {n}" for n in range(12)]
    footer = [f"Footer link {n}" for n in range(12)]
    gold = "\n\n".join(ARTICLE_SENTENCES[:3])
    # "Engineers" is a menu line that the gold holds: it is not taken for chrome.
    body = "".join(
        f"<p>{line}</p>" for line in ["Engineers", *menu, *ARTICLE_SENTENCES[:3], *footer]
    )
    record = {"html": f"<html><body>{body}</body></html>", "gold": gold}
    lines = render(record, "wrapped").text.split("\n")
    assert lines[:WRAP_LINES] == menu[:WRAP_LINES]
    assert lines[-WRAP_LINES:] == footer[-WRAP_LINES:]
    assert "\n".join(lines[WRAP_LINES:-WRAP_LINES]) == gold


def small(corpus, **changes) -> TrainSettings:
    return TrainSettings(corpora=(corpus,), include_held_out=True, workers=1, trees=15, **changes)


def test_training_is_deterministic_and_its_model_works(mini_corpus, tmp_path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "model.json", tmp_path / "b" / "model.json"
    train_model(small(mini_corpus), first)
    train_model(small(mini_corpus), second)
    assert first.read_bytes() == second.read_bytes()
    model = json.loads(first.read_text())
    assert model["meta"]["command"].startswith("stripper train mini.jsonl --out model.json")
    assert str(tmp_path) not in first.read_text()  # no machine paths in the file
    page = made_up_page(random.Random(99), 99)
    config = Config(model_path=first, input_format=InputFormat.HTML)
    body = Stripper(config).strip(page["html"]).body
    for sentence in page["gold"].split("\n\n"):
        assert sentence in body
    for headline in RELATED:  # no rule names these: the model learned them
        assert headline not in body


def test_numpy_trees_match_scikit_learn(mini_corpus):
    from stripper.model import ROWS_AT_ONCE, Trees
    from stripper.train import _fit, collect, trees_to_json

    settings = small(mini_corpus)
    examples = collect(settings, lambda _: None)
    fitted = _fit(settings, examples, [e.rows for e in examples])
    rows = np.vstack([e.rows for e in examples])
    assert len(rows) > 2 * ROWS_AT_ONCE  # scored a slice at a time
    ours = Trees.from_json(trees_to_json(fitted)).probability(rows)
    assert np.allclose(ours, fitted.predict_proba(rows)[:, 1])


def test_renderings_with_links_are_learned_once_more_as_text(mini_corpus):
    from stripper.train import collect

    examples = collect(small(mini_corpus, renderings=("html_text", "html")), lambda _: None)
    columns = [names().index("link_share"), names().index("link_share_window")]
    linked = [e for e in examples if (e.rows[:, columns] != UNKNOWN_LINK_SHARE).any()]
    unlinked = [e for e in examples if (e.rows[:, columns] == UNKNOWN_LINK_SHARE).all()]
    # Per page: html_text (links unknown), html (links known) and html once more as text.
    assert linked and len(unlinked) == 2 * len(linked)
    copy = unlinked[-1]
    assert copy.page == linked[-1].page
    assert np.array_equal(np.delete(copy.rows, columns, 1), np.delete(linked[-1].rows, columns, 1))


def test_train_command_reports_bad_input(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(app, ["train", str(tmp_path / "none.jsonl"), "--out", "m.json"])
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"id": "1", "html": "<p>x</p>"}\n', encoding="utf-8")
    out = tmp_path / "m.json"
    result = runner.invoke(app, ["train", str(empty), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 1 and "no usable pages" in result.stderr
    assert not out.exists()


def test_pages_whose_gold_is_not_in_the_page_are_left_out(tmp_path):
    from stripper.train import _usable

    page = made_up_page(random.Random(3), 3)
    records = [{**page, "gold_in_page": 0.0}, {**page, "id": "b", "gold_in_page": 0.9}, page]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    counts = dict.fromkeys(("read", "no gold or page", "gold not in page", "held out", "used"), 0)
    used = list(_usable(small(path), counts))
    assert [r["id"] for r in used] == ["b", "page-3"]
    assert counts["gold not in page"] == 1
