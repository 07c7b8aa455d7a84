"""Site profiles: learn a made-up site's pages, then clean a new page of it."""

import json
import sqlite3

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import GAZETTE, ROOT, with_model
from stripper import Config, Stripper
from stripper.cli import app
from stripper.profiles import ProfilesError, SiteProfiles, line_key, page_lines, site_of

FIXTURES = ROOT / "fixtures" / "profiles"
WIRE = sorted((FIXTURES / "wire-news").glob("page*.txt"))
SITE = "harbour-gazette.co.uk"
# On pages 2, 4 and 6 of the gazette: two of the five it learns from.
QUOTE = (
    "\u201cWe will not let the harbour decline while we are in charge of it,\u201d the mayor "
    "said in a statement to the council last year."
)
# On every page of the wire service, and on the gazette's page 6.
SYNDICATED = (
    "The national weather service said the storm would reach the whole coast by Friday "
    "night, with gusts of up to 120 kilometres an hour."
)
CHROME = [
    "Read more from the Harbour Gazette",
    "New ferry timetable from June",
    "Sailing school opens for the season",
    "Old lighthouse to become a museum",
]


def read(path) -> str:
    return path.read_text(encoding="utf-8")


def learned(path=":memory:") -> SiteProfiles:
    """Profiles of the gazette's first five pages and of the wire service."""
    profiles = SiteProfiles(path, create=True)
    for page in GAZETTE[:5]:
        assert profiles.learn(SITE, page_lines(read(page)))
    for page in WIRE:
        assert profiles.learn("wire-news.com", page_lines(read(page)))
    return profiles


@pytest.fixture(scope="module")
def stripper() -> Stripper:
    return Stripper(Config(), learned())


def test_site_key_is_the_registered_domain():
    assert site_of("http://news.bbc.co.uk/story/1") == "bbc.co.uk"
    assert site_of("https://www.Example.COM:8080/a") == "example.com"
    assert site_of("https://someone.blogspot.com/post") == "someone.blogspot.com"
    assert site_of("http://192.168.1.5/page") == "192.168.1.5"
    assert site_of("not a url") is None


def test_line_key_ignores_case_digits_and_spacing():
    assert line_key("Copyright 2024  Harbour Gazette") == line_key("copyright 1999 harbour gazette")
    assert line_key("Copyright Harbour Gazette") != line_key("Copyright Harbour Gazettes")


def test_a_new_page_loses_the_sites_chrome_with_counts_and_keeps_its_article(stripper):
    page = read(GAZETTE[5])
    result = stripper.strip(page, site=SITE)
    by_profile = {r.text: r.reason for r in result.removed if r.reason.stage == "site_profile"}
    assert set(CHROME) <= set(by_profile)
    reason = by_profile[CHROME[0]]
    assert reason.rule == "recurring_line"
    assert reason.detail.startswith(f"on 5 of 5 pages of {SITE}")
    article = page.splitlines()[8:12]  # the story's four paragraphs
    assert all(paragraph in result.body.splitlines() for paragraph in article)
    # Its headline: in the body, or its title when the model cut the line above it.
    assert "Storm warning for the coast" in [result.title, *result.body.splitlines()]
    # A lone recurring line needs more evidence than its recurrence: the profile leaves
    # it to the model.
    assert "Sign in to your account" not in by_profile
    # Without its site the page is cleaned as before: the profile is not consulted.
    assert not any(r.reason.stage == "site_profile" for r in stripper.strip(page).removed)


def test_stripping_the_output_again_changes_nothing(stripper):
    once = stripper.strip(read(GAZETTE[5]), site=SITE).body
    assert stripper.strip(once, site=SITE).body == once


def test_a_paragraph_two_articles_quote_stays_inside_the_article():
    profiles = learned()
    assert profiles.recurring(SITE).counts[line_key(QUOTE)] == 2
    # Recurring enough by count alone: it stays because it is prose inside the story.
    stripper = Stripper(Config(profile_min_pages=2, profile_min_share=0.3), profiles)
    assert QUOTE in stripper.strip(read(GAZETTE[5]), site=SITE).body.splitlines()


def test_text_syndicated_by_another_site_does_not_count_for_this_one(stripper):
    profiles = learned()
    assert profiles.recurring("wire-news.com").counts[line_key(SYNDICATED)] == 3
    assert line_key(SYNDICATED) not in profiles.recurring(SITE).counts
    assert SYNDICATED in stripper.strip(read(GAZETTE[5]), site=SITE).body.splitlines()


def test_learning_a_page_twice_does_not_double_count(tmp_path):
    path = tmp_path / "sites.db"
    learned(path).close()
    again = SiteProfiles(path)
    assert not again.learn(SITE, page_lines(read(GAZETTE[0])))
    assert again.recurring(SITE).pages == 5
    assert again.recurring(SITE).counts[line_key(CHROME[0])] == 5
    assert again.learn(SITE, page_lines(read(GAZETTE[5])))  # a new page: incremental
    assert again.recurring(SITE).counts[line_key(CHROME[0])] == 6
    assert SiteProfiles(path).recurring(SITE).pages == 6  # committed for other readers


def test_the_file_can_be_read_while_another_connection_writes(tmp_path):
    path = tmp_path / "sites.db"
    learned(path).close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO pages VALUES (?, 1)", (SITE,))
    reader = SiteProfiles(path)
    assert reader.db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert reader.recurring(SITE).pages == 5  # the last committed state
    writer.execute("COMMIT")
    assert SiteProfiles(path).recurring(SITE).pages == 6


def test_a_missing_or_foreign_file_is_a_profiles_error(tmp_path):
    with pytest.raises(ProfilesError, match="no such profiles file"):
        SiteProfiles(tmp_path / "nope.db")
    (tmp_path / "bad.db").write_text("not a database", encoding="utf-8")
    with pytest.raises(ProfilesError, match="file is not a database"):
        SiteProfiles(tmp_path / "bad.db")
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.commit()
    for create in (False, True):  # someone else's database is never written to
        with pytest.raises(ProfilesError, match="not a stripper profiles file"):
            SiteProfiles(tmp_path / "other.db", create=create)


# The command line


def records(pages) -> str:
    return "".join(
        json.dumps({"url": f"https://www.{SITE}/news/{page.stem}", "text": read(page)}) + "\n"
        for page in pages
    )


def test_learn_then_clean_on_the_command_line(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "sites.db")
    learn = runner.invoke(app, ["learn", "--profiles", db, "--jsonl"], input=records(GAZETTE[:5]))
    assert learn.exit_code == 0, learn.output
    assert learn.stdout.startswith("learned 5 pages of 1 site into")
    result = runner.invoke(app, ["--profiles", db, "--site", SITE, "-f", "json", str(GAZETTE[5])])
    assert result.exit_code == 0, result.output
    removed = [r for r in json.loads(result.stdout)["removed"] if r["stage"] == "site_profile"]
    assert {r["text"] for r in removed} >= set(CHROME)
    assert all(r["detail"].startswith("on 5 of 5 pages of") for r in removed)
    explain = runner.invoke(app, ["--profiles", db, "--site", SITE, "--explain", str(GAZETTE[5])])
    assert f"site_profile/recurring_line: on 5 of 5 pages of {SITE}" in explain.stdout


def test_worker_processes_clean_with_the_profiles_as_one_process_does(tmp_path):
    """Each worker opens the profiles file itself (a connection must not cross a fork)."""
    db = tmp_path / "sites.db"
    learned(db).close()
    stream = "".join(
        json.dumps({"text": read(GAZETTE[5]), "n": n}) + "\n" for n in range(40)
    )  # more than a chunk of records: the pool starts
    args = ["--profiles", str(db), "--site", SITE, "--jsonl", "--workers"]
    one = CliRunner().invoke(app, [*args, "1"], input=stream)
    two = CliRunner().invoke(app, [*args, "2"], input=stream)
    assert one.exit_code == two.exit_code == 0, two.output
    assert two.stdout == one.stdout
    assert CHROME[0] not in two.stdout and SYNDICATED in two.stdout


def test_learn_renders_html_pages_as_clean_does(tmp_path):
    db = tmp_path / "sites.db"
    stream = "".join(
        json.dumps(
            {
                "link": f"http://{SITE}/{n}",
                "html": "".join(f"<p>{line}</p>" for line in read(page).splitlines()),
            }
        )
        + "\n"
        for n, page in enumerate(GAZETTE[:5])
    )
    args = ["learn", "--profiles", str(db), "--jsonl", "--field", "html", "--url-field", "link"]
    result = CliRunner().invoke(app, [*args, "--input", "html"], input=stream)
    assert result.exit_code == 0, result.output
    assert SiteProfiles(db).recurring(SITE).counts[line_key(CHROME[0])] == 5


def test_learn_reports_pages_without_a_site(tmp_path):
    result = CliRunner().invoke(
        app, ["learn", "--profiles", str(tmp_path / "sites.db"), str(GAZETTE[0])]
    )
    assert result.exit_code == 1
    assert "no site: give --site" in result.stderr


def test_learning_while_cleaning_improves_later_records(tmp_path):
    db = tmp_path / "sites.db"
    stream = records(GAZETTE)
    result = CliRunner().invoke(app, ["--jsonl", "--profiles", str(db), "--learn"], input=stream)
    assert result.exit_code == 0, result.output
    bodies = [json.loads(line)["text"] for line in result.stdout.splitlines()]
    assert CHROME[1] in bodies[0]  # nothing learned yet
    assert CHROME[1] not in bodies[5]  # learned from the five before it
    assert SiteProfiles(db).recurring(SITE).pages == 6
    # The same stream on a fresh file gives the same bytes: learning is in input order.
    fresh = str(tmp_path / "fresh.db")
    again = CliRunner().invoke(app, ["--jsonl", "--profiles", fresh, "--learn"], input=stream)
    assert again.stdout == result.stdout


def listing(pages, headline: str) -> SiteProfiles:
    """Profiles of `pages` with `headline` added to each one's list of the site's stories."""
    profiles = SiteProfiles(":memory:")
    for page in pages:
        lines = read(page).splitlines()
        at = lines.index(CHROME[0]) + 1
        profiles.learn(SITE, page_lines("\n".join([*lines[:at], headline, *lines[at:]])))
    return profiles


def test_a_pages_own_headline_listed_on_the_other_pages_stays():
    headline = "Storm warning for the coast"
    # A dateline between headline and story: the headline is not the line right before it.
    page = read(GAZETTE[5]).replace("By Sara Holm", "Updated 14 June 2024, 09:30")
    profiles = listing(GAZETTE[:5], headline)
    assert profiles.recurring(SITE).counts[line_key(headline)] == 5
    # Without the model every recurring line outside the article is doubted: position
    # alone keeps the headline, while the list of stories after the story goes.
    result = Stripper(Config(use_model=False), profiles).strip(page, site=SITE)
    assert headline in result.body.splitlines()
    assert not set(CHROME) & set(result.body.splitlines())


FOOTER = (
    "Harbour Gazette is an independent local newspaper published in the town every day since 1921."
)


def test_a_sentence_after_the_story_on_every_page_of_the_site_goes(stripper):
    result = stripper.strip(read(GAZETTE[5]), site=SITE)
    assert FOOTER not in result.body.splitlines()
    reason = next(r.reason for r in result.removed if r.text == FOOTER)
    assert reason.stage == "site_profile"
    assert reason.detail.startswith(f"on 5 of 5 pages of {SITE}, outside the article")


def test_a_lone_sentence_after_the_story_on_every_page_goes_even_out_of_a_run(stripper):
    # Lines of this page's own on both sides: the footer is in no run of recurring lines.
    page = read(GAZETTE[5]).replace(
        FOOTER, f"Photos of the storm by Ann Berg\n{FOOTER}\nTell us what you saw today"
    )
    result = stripper.strip(page, site=SITE)
    reason = next(r.reason for r in result.removed if r.text == FOOTER)
    assert reason.detail.endswith("after the article, on nearly every page of the site")
    assert "The harbour master closed the port" in result.body


# A promotion longer than any headline, cut off like a teaser: not prose, not the headline.
PROMO = (
    "Books: the Harbour Gazette guide to the coast is out and selling in every shop in "
    "town, with maps of the harbour, the tides of the year, walks along the sea wall and "
    "the best places to watch the boats come in on a summer evening, and…"
)


def test_a_long_line_before_the_story_on_every_page_of_the_site_goes():
    def with_promo(page) -> str:
        # Right after the byline, before the story's first paragraph: the headline's slot.
        lines = read(page).splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("By ")) + 1
        return "\n".join([*lines[:at], PROMO, *lines[at:]])

    profiles = SiteProfiles(":memory:")
    for page in GAZETTE[:5]:
        profiles.learn(SITE, page_lines(with_promo(page)))
    result = Stripper(Config(), profiles).strip(with_promo(GAZETTE[5]), site=SITE)
    reason = next(r.reason for r in result.removed if r.text == PROMO)
    where = "before the article, on nearly every page of the site"
    assert reason.detail == f"on 5 of 5 pages of {SITE}, {where}"
    assert "The harbour master closed the port" in result.body
    # Not so without the profile: the model alone keeps it.
    assert PROMO in Stripper(Config()).strip(with_promo(GAZETTE[5])).body.splitlines()


def test_a_recurring_sentence_the_model_takes_for_text_stays_when_some_pages_lack_it():
    # On 5 of 5 pages, but asked for more than all of them: the model's word decides.
    stripper = Stripper(Config(profile_sitewide_share=1.1), learned())
    assert FOOTER in stripper.strip(read(GAZETTE[5]), site=SITE).body.splitlines()
    # With --no-model there is no such evidence, and position decides: it goes.
    bare = Stripper(Config(use_model=False, profile_sitewide_share=1.1), learned())
    assert FOOTER not in bare.strip(read(GAZETTE[5]), site=SITE).body.splitlines()


def test_profile_cuts_do_not_make_the_storys_last_short_lines_a_menu(stripper):
    # The story ends on a notice's short lines; the site's footer of prose follows.
    # Cutting the footer must not leave them as a run of short lines after the story.
    notice = ["Notice", "To: all boat owners", "From: the harbour master"]
    page = read(GAZETTE[5]).replace(
        "Read more from the Harbour Gazette",
        "\n".join([*notice, "Read more from the Harbour Gazette"]),
    )
    result = stripper.strip(page, site=SITE)
    assert result.body.splitlines()[-3:] == notice
    assert not set(CHROME) & set(result.body.splitlines())


def test_profile_cuts_do_not_make_the_storys_last_lines_teasers():
    # The story ends on two lines that stop mid-sentence; the site's sign-off, which
    # ends in sentences, follows. Cutting it must not leave them as a tail of teasers.
    ending = [
        "Figures from the port authority and the town council's own survey of the sea wall "
        "and the quay",
        "Earlier reports from the harbour master on the state of the locks and the old pier "
        "since the spring",
    ]
    sign_off = [
        "Thank you for reading the Harbour Gazette every day of the week.",
        "Send us your photos of the harbour and the coast by email.",
    ]
    profiles = SiteProfiles(":memory:")
    for page in GAZETTE[:5]:
        profiles.learn(SITE, page_lines("\n".join([read(page), *sign_off])))
    page = "\n".join([*read(GAZETTE[5]).splitlines()[:12], *ending, *sign_off])
    stripper = Stripper(Config(use_model=False), profiles)  # the rules alone decide
    assert all(line in stripper.strip(page).body.splitlines() for line in ending)
    body = stripper.strip(page, site=SITE).body.splitlines()
    assert sign_off[1] not in body
    assert all(line in body for line in ending)


class ChromeMindedModel:
    """A model that takes the page for an article only with the site's chrome around it,
    as the shipped one may a short story once the profile has cut its page's chrome."""

    def scores(self, texts: list[str], stop_words=None, link_shares=None) -> np.ndarray:
        looks_whole = CHROME[0] in texts
        return np.array([0.9 if looks_whole else 0.1 for _ in texts])


class TrustingModel:
    """A model that takes every line for article text."""

    def scores(self, texts: list[str], stop_words=None, link_shares=None) -> np.ndarray:
        return np.full(len(texts), 0.9)


def test_a_lone_recurring_line_the_model_takes_for_text_stays():
    stripper = with_model(Stripper(Config(), learned()), TrustingModel())
    result = stripper.strip(read(GAZETTE[5]), site=SITE)
    assert "Sign in to your account" in result.body.splitlines()
    assert CHROME[0] not in result.body.splitlines()  # a run of them goes


def test_profile_cuts_do_not_change_the_models_view_of_the_page():
    stripper = with_model(Stripper(Config(), learned()), ChromeMindedModel())
    page = read(GAZETTE[5])
    result = stripper.strip(page, site=SITE)
    assert CHROME[0] in {r.text for r in result.removed if r.reason.stage == "site_profile"}
    article = page.splitlines()[8:12]
    assert all(paragraph in result.body.splitlines() for paragraph in article)
