"""Site profiles: the lines a site repeats across its pages, counted in one SQLite file.

A scraper collects many pages per site, and a site repeats its chrome (menus, footers,
its own promos) on every page. `SiteProfiles.learn` adds one page of a site; the
`SiteProfile` stage asks `recurring(site)` which lines recur on how many distinct pages.
Counts are kept per site only, so text syndicated across sites never adds up.

The file is in WAL journal mode: readers work while another process writes, and a
writer waits for another (`busy_timeout`) instead of failing.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tld import get_fld

from stripper.config import InputFormat
from stripper.inputs import page_text
from stripper.layout import segment

SCHEMA_VERSION = "1"
# Never a single page of evidence: lines seen on fewer pages are not handed out.
MIN_EVIDENCE = 2
SAMPLE_CHARS = 200  # one sample text per line, to read a profile by eye
BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for another writer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    site TEXT NOT NULL, page INTEGER NOT NULL, PRIMARY KEY (site, page)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lines (
    site TEXT NOT NULL, key INTEGER NOT NULL, pages INTEGER NOT NULL, sample TEXT NOT NULL,
    PRIMARY KEY (site, key)
) WITHOUT ROWID;
"""
_DIGIT = re.compile(r"\d")


class ProfilesError(Exception):
    """A profiles file that is missing, damaged or not a profiles file."""


def site_of(url: str) -> str | None:
    """The registered domain of `url` (`news.bbc.co.uk` -> `bbc.co.uk`; a private suffix
    such as blogspot.com counts: `x.blogspot.com`); the host where there is none (an IP
    address, `localhost`); None for what is not a URL."""
    domain = get_fld(url, fail_silently=True, fix_protocol=True)
    if domain:
        return domain
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    return host if host and " " not in host else None


def line_key(text: str) -> int:
    """A line's identity on a site: lower-case, digits masked (a changing date or count
    stays the same line), white space collapsed; hashed to 64 bits."""
    normal = " ".join(_DIGIT.sub("0", text.lower()).split())
    return int.from_bytes(hashlib.blake2b(normal.encode(), digest_size=8).digest(), signed=True)


def page_lines(text: str, input_format: InputFormat = InputFormat.TEXT) -> list[str]:
    """A page's paragraphs as the pipeline sees them: what `learn` takes."""
    return [block.text for block in segment(page_text(text, input_format))[0]]


@dataclass(slots=True)
class SiteLines:
    """What a site's profile says: its distinct pages, and the lines on 2+ of them."""

    pages: int = 0
    counts: dict[int, int] = field(default_factory=dict)  # line key -> distinct pages


class SiteProfiles:
    """The profiles of many sites in one SQLite file (`:memory:` for one that is not kept).

    `create=False` opens an existing file only: a missing or foreign file is a
    ProfilesError, raised here rather than halfway through a run.
    """

    def __init__(self, path: Path | str, create: bool = False) -> None:
        self.path = str(path)
        self._cache: dict[str, SiteLines] = {}  # per site, for a run: read once
        in_memory = self.path == ":memory:"
        if not in_memory and not create and not Path(self.path).is_file():
            raise ProfilesError(f"no such profiles file: {self.path!r}")
        try:
            # Autocommit: `learn` opens its own transaction.
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            tables = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master")}
            if (create or in_memory) and not tables:  # a new file: never someone else's
                self.db.execute("PRAGMA journal_mode = WAL")  # kept in the file
                self.db.executescript(_SCHEMA)
                self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                tables.add("meta")
            row = (
                self.db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
                if "meta" in tables
                else None
            )
        except sqlite3.Error as exc:
            raise ProfilesError(f"cannot read profiles file {self.path!r} ({exc})") from None
        if row is None or row[0] != SCHEMA_VERSION:
            raise ProfilesError(f"{self.path!r} is not a stripper profiles file of this version")

    def learn(self, site: str, lines: Iterable[str]) -> bool:
        """Add one page of `site` (its paragraphs, see `page_lines`); False when a page of
        the same normalised lines was learned before, so learning a corpus twice does not
        double its counts."""
        samples: dict[int, str] = {}
        for line in lines:
            samples.setdefault(line_key(line), line[:SAMPLE_CHARS])
        digest = hashlib.blake2b(repr(sorted(samples)).encode(), digest_size=8).digest()
        page = int.from_bytes(digest, signed=True)
        cached = self._cache.get(site)
        self.db.execute("BEGIN IMMEDIATE")  # the write lock now: no deadlock between writers
        try:
            added = self.db.execute(
                "INSERT OR IGNORE INTO pages VALUES (?, ?)", (site, page)
            ).rowcount
            if added:
                for key, sample in samples.items():
                    (count,) = self.db.execute(
                        "INSERT INTO lines VALUES (?, ?, 1, ?) ON CONFLICT (site, key) "
                        "DO UPDATE SET pages = pages + 1 RETURNING pages",
                        (site, key, sample),
                    ).fetchone()
                    if cached is not None and count >= MIN_EVIDENCE:
                        cached.counts[key] = count
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        if added and cached is not None:
            cached.pages += 1
        return bool(added)

    def recurring(self, site: str) -> SiteLines:
        """The site's page count and its lines on 2+ distinct pages; read once per site and
        kept up to date by this object's own `learn`."""
        cached = self._cache.get(site)
        if cached is None:
            (pages,) = self.db.execute(
                "SELECT count(*) FROM pages WHERE site = ?", (site,)
            ).fetchone()
            rows = self.db.execute(
                "SELECT key, pages FROM lines WHERE site = ? AND pages >= ?", (site, MIN_EVIDENCE)
            )
            cached = self._cache[site] = SiteLines(pages, dict(rows.fetchall()))
        return cached

    def sites(self) -> int:
        (count,) = self.db.execute("SELECT count(DISTINCT site) FROM pages").fetchone()
        return count

    def close(self) -> None:
        self.db.close()
