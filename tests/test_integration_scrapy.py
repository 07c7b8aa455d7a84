"""The Scrapy item pipeline: a real crawl of a fixture site, and items it cannot strip."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import html

scrapy = pytest.importorskip(
    "scrapy", reason="scrapy is not installed (the stripper[scrapy] extra)"
)
from scrapy.settings import Settings  # noqa: E402

from conftest import ROOT, gazette_profiles  # noqa: E402
from stripper import Config, InputFormat, Stripper  # noqa: E402
from stripper.integrations.scrapy import StripperPipeline  # noqa: E402

SITE = ROOT / "fixtures" / "site"
STORIES = sorted((SITE / "articles").glob("*.html"))

# Run by `scrapy runspider` in a subprocess: a Twisted reactor cannot restart in pytest.
SPIDER = """
import scrapy


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, url, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [url]

    def parse(self, response):
        yield from response.follow_all(css="ul.stories a", callback=self.parse_story)

    def parse_story(self, response):
        yield {"url": response.url, "html": response.text}
"""


@pytest.fixture
def site() -> Iterator[tuple[str, list[str]]]:
    """The fixture site on 127.0.0.1, and the list of paths it was asked for."""
    requested: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(SITE), **kwargs)

        def do_GET(self) -> None:
            requested.append(self.path)
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:
            pass  # the crawl's own log says what was fetched

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", requested
    server.shutdown()
    server.server_close()


def story(path: Path) -> tuple[str, list[str]]:
    """The page's headline and its article paragraphs, as a reader would mark them."""
    tree = html.fromstring(path.read_text("utf-8"))
    paragraphs = [" ".join(p.text_content().split()) for p in tree.xpath("//article/p")]
    return tree.xpath("string(//h1)"), paragraphs


def test_crawl_strips_every_story(tmp_path: Path, site: tuple[str, list[str]]) -> None:
    url, requested = site
    spider, feed = tmp_path / "spider.py", tmp_path / "items.jsonl"
    spider.write_text(SPIDER)
    settings = {
        "ITEM_PIPELINES": json.dumps({"stripper.integrations.scrapy.StripperPipeline": 300}),
        "STRIPPER_INPUT_FIELD": "html",
        "STRIPPER_OUTPUT_FIELD": "body",
        "STRIPPER_INPUT_FORMAT": "html",
        "TELNETCONSOLE_ENABLED": "0",
        "LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "scrapy", "runspider", str(spider)]
    command += ["-a", f"url={url}index.html", "-O", str(feed)]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    crawl = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)

    assert crawl.returncode == 0, crawl.stderr
    for trouble in ("ERROR", "Traceback", "[stripper"):  # the last: any log line of ours
        assert trouble not in crawl.stderr, crawl.stderr
    # The index once, each story once: related links to other stories are not followed.
    assert sorted(requested) == sorted(["/index.html", *(f"/articles/{p.name}" for p in STORIES)])
    items = {item["url"]: item for item in map(json.loads, feed.read_text("utf-8").splitlines())}
    assert sorted(items) == [f"{url}articles/{p.name}" for p in STORIES]

    library = Stripper(Config(input_format=InputFormat.HTML))
    for path in STORIES:
        item = items[f"{url}articles/{path.name}"]
        page = path.read_text("utf-8")
        title, paragraphs = story(path)
        assert set(item) == {"url", "html", "body", "stripper"}
        assert item["html"] == page  # the input field is left as it was
        # Menus, captions, related links and the footer all lie outside these paragraphs.
        assert item["body"].split("\n\n") == paragraphs
        result = library.strip(page)
        assert item["body"] == result.body
        assert item["stripper"] == {
            "title": title,
            "date": None,
            "removed": len(result.removed),
            "error": None,
        }


def pipeline(**settings: object) -> StripperPipeline:
    return StripperPipeline.from_crawler(SimpleNamespace(settings=Settings(settings)))


def test_defaults_read_and_write_the_text_field() -> None:
    title, paragraphs = story(STORIES[0])
    page = STORIES[0].read_text("utf-8")
    item = pipeline(STRIPPER_INPUT_FORMAT="AUTO").process_item({"text": page, "id": 7})
    assert item["id"] == 7
    assert item["text"].split("\n\n") == paragraphs
    assert item["stripper"]["title"] == title
    assert item["stripper"]["error"] is None


def test_config_setting_takes_a_config_or_its_arguments() -> None:
    page = STORIES[0].read_text("utf-8")
    title, _ = story(STORIES[0])
    # JSON, as `-s` gives it, reaches Config's scalar fields.
    from_json = pipeline(STRIPPER_CONFIG='{"extract_title": false, "min_prose_words": 8}')
    assert from_json.stripper.config == Config(extract_title=False, min_prose_words=8)
    given = pipeline(
        STRIPPER_CONFIG=Config(input_format=InputFormat.HTML, extract_title=False),
        STRIPPER_META_FIELD="",
    )
    item = given.process_item({"text": page})
    assert set(item) == {"text"}  # no meta field
    assert item["text"].startswith(title)  # not taken out as the title


@pytest.mark.parametrize("item", [{}, {"text": None}, {"text": b"<p>bytes</p>"}, {"text": 3}])
def test_item_without_text_passes_through(item: dict, caplog: pytest.LogCaptureFixture) -> None:
    original = dict(item)
    with caplog.at_level(logging.WARNING):
        out = pipeline().process_item(item)
    assert out is item
    assert {k: v for k, v in out.items() if k != "stripper"} == original
    assert "not a string" in out["stripper"]["error"]
    assert "item left unchanged" in caplog.text


def test_item_the_stripper_fails_on_passes_through(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    stripping = pipeline(STRIPPER_OUTPUT_FIELD="body")

    def fail(text: str, input_format: InputFormat | None = None, site: str | None = None) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(stripping.stripper, "strip", fail)
    with caplog.at_level(logging.WARNING):
        item = stripping.process_item({"text": "Some words."})
    assert item == {
        "text": "Some words.",
        "stripper": {"title": None, "date": None, "removed": None, "error": "RuntimeError: boom"},
    }
    assert "strip failed: RuntimeError: boom" in caplog.text


class Page(scrapy.Item):
    text = scrapy.Field()
    stripper = scrapy.Field()


@dataclass
class Article:
    text: str
    body: str = ""


def test_declared_items_are_filled_and_never_dropped(caplog: pytest.LogCaptureFixture) -> None:
    text = "\n".join(["Home", "News", "Sport", "Contact", *story(STORIES[1])[1]])
    page = pipeline().process_item(Page(text=text))
    assert page["text"] == "\n".join(story(STORIES[1])[1])
    assert page["stripper"]["removed"] == 4

    # The dataclass has no `stripper` field: the body is written, the log says what is missing.
    with caplog.at_level(logging.WARNING):
        article = pipeline(STRIPPER_OUTPUT_FIELD="body").process_item(Article(text))
    assert article.text == text
    assert article.body == page["text"]
    assert "Article has no field 'stripper'" in caplog.text


def test_item_url_gives_the_site_its_profile(tmp_path: Path) -> None:
    db = tmp_path / "sites.db"
    new_page = gazette_profiles(db)
    chrome = "Read more from the Harbour Gazette"
    with_site = pipeline(STRIPPER_CONFIG=Config(profiles=db), STRIPPER_URL_FIELD="link")
    item = with_site.process_item({"text": new_page, "link": "https://www.harbour-gazette.co.uk/6"})
    assert chrome not in item["text"].splitlines()
    assert "The harbour master closed the port to small boats on Thursda" in item["text"]
    unknown = with_site.process_item({"text": new_page})  # no address: no profile applies
    assert chrome in unknown["text"].splitlines()
