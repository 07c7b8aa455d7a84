"""Site profiles on pages grouped by site: text-mode shingle F1 with profiles against without.

For each page of a site with enough pages, a profile is learned from the page text
(html_text with layout, as the quality benchmark's text mode renders it) of the site's
OTHER pages, never from gold, and the page is cleaned with it and without. Reported on
every such page, and on the held-out fifth alone (the shipped model trained on the rest
of dragnet).
"""

from __future__ import annotations

import multiprocessing
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.quality import (
    CorpusPlan,
    QualityCell,
    match,
    page_recall,
    page_text,
    read_corpus,
    shingles,
)
from stripper import Config, Stripper
from stripper.corpus import is_held_out
from stripper.profiles import SiteProfiles, page_lines, site_of

PROFILES_CORPUS = "dragnet"
MIN_SITE_PAGES = 5  # a site needs this many pages: 4+ others to learn from
RECALL_LOSS = 0.01  # a page losing more recall than this counts as hurt


@dataclass(slots=True)
class Page:
    id: str
    site: str
    html: str
    gold: str


# What is scored against gold: the body, as the quality benchmark does, and the title
# with it: a headline that the profile's cuts let the title stage take is not lost.
SCORED = {
    "body": lambda result: result.body,
    "title + body": lambda result: f"{result.title or ''}\n{result.body}",
}


@dataclass(slots=True)
class PageScore:
    id: str
    site: str
    # tp, fp, fn of the model alone and with profiles, for each of SCORED
    without: dict[str, tuple[float, float, float]]
    with_profiles: dict[str, tuple[float, float, float]]


def site_pages(corpus: Path, limit: int | None = None) -> dict[str, list[Page]]:
    """The corpus's pages (gold ones that pass the quality benchmark's filter) by site,
    for sites with MIN_SITE_PAGES or more."""
    by_site: dict[str, list[Page]] = defaultdict(list)
    plan = CorpusPlan(PROFILES_CORPUS, corpus, train=False)  # every page, held out or not
    for kind, record in read_corpus(plan, limit):
        site = site_of(record.get("url") or "")
        if kind == "gold" and site:
            by_site[site].append(Page(record["id"], site, record["html"], record["gold"]))
    return {site: pages for site, pages in by_site.items() if len(pages) >= MIN_SITE_PAGES}


def score_site(stripper: Stripper, profiles: SiteProfiles, pages: list[Page]) -> list[PageScore]:
    """Each page cleaned without a site, and with a profile of the site's other pages
    (learned under a site key of its own, so that the page never counts itself)."""
    texts = [page_text(page.html) for page in pages]  # as the quality benchmark's text mode
    lines = [page_lines(text) for text in texts]
    scores = []
    for page, text in zip(pages, texts, strict=True):
        key = f"{page.site} without {page.id}"
        for other, other_lines in zip(pages, lines, strict=True):
            if other is not page:
                profiles.learn(key, other_lines)
        gold = shingles(page.gold)
        without, with_profiles = stripper.strip(text), stripper.strip(text, site=key)
        scores.append(
            PageScore(
                page.id,
                page.site,
                {name: match(gold, shingles(part(without))) for name, part in SCORED.items()},
                {name: match(gold, shingles(part(with_profiles))) for name, part in SCORED.items()},
            )
        )
    return scores


_WORKER: tuple[Stripper, SiteProfiles] | None = None


def _start(config: Config) -> None:
    global _WORKER
    profiles = SiteProfiles(":memory:")
    _WORKER = (Stripper(config, profiles), profiles)


def _score(pages: list[Page]) -> list[PageScore]:
    assert _WORKER is not None
    return score_site(*_WORKER, pages)


def run(
    corpus: Path, workers: int, config: Config | None = None, limit: int | None = None
) -> list[PageScore]:
    """Every page's scores; a site at a time in `workers` processes."""
    config = config or Config()
    sites = list(site_pages(corpus, limit).values())
    if workers <= 1:
        _start(config)
        return [score for pages in sites for score in _score(pages)]
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with context.Pool(workers, _start, (config,)) as pool:
        return [score for scores in pool.imap_unordered(_score, sites) for score in scores]


def summary(scores: list[PageScore], scored: str) -> dict[str, Any]:
    """Mean F1 / P / R with and without profiles, as the quality benchmark averages them,
    and the pages that lost recall."""
    cells = {"without": QualityCell(), "with": QualityCell()}
    losses = []
    for score in scores:
        without, with_profiles = score.without[scored], score.with_profiles[scored]
        for name, m in (("without", without), ("with", with_profiles)):
            cells[name].add({"m": m, "sec": 0.0, "err": None, "empty": sum(m[:2]) == 0})
        before, after = page_recall(*without[::2]), page_recall(*with_profiles[::2])
        if before is not None and after is not None:
            losses.append((before - after, score.id))
    without, with_ = cells["without"].summary(), cells["with"].summary()
    hurt = sorted((loss, page) for loss, page in losses if loss > RECALL_LOSS)
    return {
        "pages": len(scores),
        "sites": len({score.site for score in scores}),
        "without": {k: without[k] for k in ("f1", "precision", "recall")},
        "with": {k: with_[k] for k in ("f1", "precision", "recall")},
        "delta_f1": with_["f1"] - without["f1"],
        "pages_losing_recall": len(hurt),
        "hurt": [{"id": page, "recall_loss": loss} for loss, page in reversed(hurt)],
        "worst_recall_loss": max((loss for loss, _ in losses), default=0.0),
    }


def report(scores: list[PageScore], seconds: float) -> tuple[list[str], dict[str, Any]]:
    """The table for the report, and the same for the JSON results."""
    parts = {
        f"{PROFILES_CORPUS}, all site pages": scores,
        f"{PROFILES_CORPUS}, held-out fifth": [s for s in scores if is_held_out(s.id)],
    }
    results = {
        f"{name}, {scored}": summary(part, scored)
        for name, part in parts.items()
        for scored in SCORED
    }
    lines = [
        f"Site profiles ({PROFILES_CORPUS}, sites with {MIN_SITE_PAGES}+ pages; text mode; "
        f"each page cleaned with a profile of its site's other pages; {seconds:.0f} s wall):",
        "",
        "| pages, scored text | sites | pages | F1 without (P / R) | F1 with profiles (P / R) "
        f"| delta F1 | pages losing > {RECALL_LOSS} recall | worst recall loss |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, s in results.items():
        w, p = s["without"], s["with"]
        lines.append(
            f"| {name} | {s['sites']} | {s['pages']} "
            f"| {w['f1']:.3f} ({w['precision']:.3f} / {w['recall']:.3f}) "
            f"| {p['f1']:.3f} ({p['precision']:.3f} / {p['recall']:.3f}) "
            f"| {s['delta_f1']:+.3f} | {s['pages_losing_recall']} | {s['worst_recall_loss']:.3f} |"
        )
    return [*lines, ""], results
