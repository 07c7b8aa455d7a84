"""A Scrapy item pipeline that strips boilerplate from one field of every item.

Enable it in the project settings::

    ITEM_PIPELINES = {"stripper.integrations.scrapy.StripperPipeline": 300}
    STRIPPER_INPUT_FIELD = "html"      # field to read (default "text")
    STRIPPER_OUTPUT_FIELD = "body"     # field to write (default: the input field)
    STRIPPER_INPUT_FORMAT = "html"     # "text", "html" or "auto" (default: the config's)
    STRIPPER_META_FIELD = "stripper"   # title, date, removed count, error; "" for none
    STRIPPER_URL_FIELD = "url"         # the page's address: its site, for Config(profiles=...)
    STRIPPER_CONFIG = Config(...)      # a stripper.Config, or a dict (or JSON) of its arguments

No item is ever dropped: an item without a string in the input field, or one that
the Stripper fails on, passes through unchanged, with a warning in the log and the
error in the meta field.
"""

from __future__ import annotations

import logging
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from stripper import Config, InputFormat, Result, Stripper
from stripper.profiles import site_of

logger = logging.getLogger(__name__)


class StripperPipeline:
    """Writes the stripped body of `input_field` to `output_field`, and a summary to
    `meta_field`. One Stripper is built per pipeline, so rules load once per crawl."""

    def __init__(
        self,
        config: Config | None = None,
        *,
        input_field: str = "text",
        output_field: str | None = None,
        input_format: InputFormat | None = None,
        meta_field: str | None = "stripper",
        url_field: str = "url",
    ) -> None:
        self.stripper = Stripper(config)
        self.input_field = input_field
        self.output_field = output_field or input_field
        self.input_format = input_format
        self.meta_field = meta_field
        self.url_field = url_field

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        input_format = settings.get("STRIPPER_INPUT_FORMAT")
        return cls(
            _config(settings),
            input_field=settings.get("STRIPPER_INPUT_FIELD", "text"),
            output_field=settings.get("STRIPPER_OUTPUT_FIELD"),
            input_format=InputFormat(input_format.lower()) if input_format else None,
            meta_field=settings.get("STRIPPER_META_FIELD", "stripper"),
            url_field=settings.get("STRIPPER_URL_FIELD", "url"),
        )

    # `spider` is optional: Scrapy < 2.13 passes it, newer versions warn when it is required.
    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        text = adapter.get(self.input_field)
        if not isinstance(text, str):
            found = "missing" if text is None else type(text).__name__
            error = f"field {self.input_field!r} is {found}, not a string"
            logger.warning("stripper: item left unchanged: %s", error)
            self._set(adapter, self.meta_field, _meta(None, error))
            return item
        url = adapter.get(self.url_field)
        site = site_of(url) if isinstance(url, str) else None  # for the site profiles
        try:
            result = self.stripper.strip(text, self.input_format, site)
        except Exception as exc:  # one bad page must not cost the crawl its item
            error = f"{type(exc).__name__}: {exc}"
            logger.warning("stripper: item left unchanged, strip failed: %s", error)
            self._set(adapter, self.meta_field, _meta(None, error))
            return item
        self._set(adapter, self.output_field, result.body)
        self._set(adapter, self.meta_field, _meta(result, None))
        return item

    @staticmethod
    def _set(adapter: ItemAdapter, field: str | None, value: Any) -> None:
        if not field:
            return
        try:
            adapter[field] = value
        except KeyError:
            # Item classes with declared fields (scrapy.Item, dataclasses, attrs) reject
            # others; the item still goes on, the log says which field to declare.
            item_type = type(adapter.item).__name__
            logger.warning("stripper: %s has no field %r to write; declare it", item_type, field)


def _config(settings: BaseSettings) -> Config | None:
    """STRIPPER_CONFIG: a Config (settings.py is Python), or its arguments as a dict
    (also as JSON, for `scrapy crawl -s STRIPPER_CONFIG='{"min_prose_words": 8}'`)."""
    value = settings.get("STRIPPER_CONFIG")
    if value is None or isinstance(value, Config):
        return value
    return Config(**settings.getdict("STRIPPER_CONFIG"))


def _meta(result: Result | None, error: str | None) -> dict[str, Any]:
    """One shape for every item, so feed exports get the same columns either way."""
    return {
        "title": result.title if result else None,
        "date": result.date if result else None,
        "removed": len(result.removed) if result else None,
        "error": error,
    }
