"""`stripper train`: learn the model from pages with gold text.

Each page is rendered to raw text the ways scrapers do, run through the rules
(the model sees what the rules leave, as it does when cleaning), and every block
is labelled article or chrome by aligning the gold text to the page text in
order: a token sequence alignment, because a bag of words would call a menu item
such as "Tennis" article text whenever the word also occurs in the story.

Needs the `train` extra (scikit-learn, html-text, html2text). Same data and seed, same file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from stripper import __version__
from stripper.config import Config
from stripper.corpus import is_held_out, read_corpus
from stripper.features import (
    UNKNOWN_LINK_SHARE,
    block_features,
    names,
    page_stop_words,
    score_features,
    second_pass_names,
)
from stripper.inputs import PageText, render_html
from stripper.model import FORMAT, FORMAT_VERSION
from stripper.pipeline import Stripper
from stripper.renderings import scraper_text
from stripper.text import lower_tokens

# An aligned run shorter than this is chance agreement of common words, unless it
# covers a short block whole (a heading).
MIN_RUN = 3
CONTENT_SHARE = 0.5
# How scrapers turn a page into text; "gold" adds the clean text itself, so the
# model learns that an already clean article keeps every paragraph, and "wrapped" the
# gold between the page's own menu and footer, so that it keeps a whole article with
# chrome around it (without it, long articles lost their later paragraphs).
RENDERINGS = ("html_text", "soup", "markdown", "trafilatura", "html", "gold", "wrapped")
# Lines of the page that the gold does not hold, taken from its start and its end.
WRAP_LINES = 8
# The second pass learns from first-pass scores of pages the first pass did not see.
FOLDS = 3


@dataclass(frozen=True, slots=True)
class TrainSettings:
    corpora: tuple[Path, ...]
    seed: int = 0
    include_held_out: bool = False
    min_gold_in_page: float = 0.5
    workers: int = 2
    renderings: tuple[str, ...] = RENDERINGS
    trees: int = 200
    learning_rate: float = 0.1
    max_leaf_nodes: int = 31
    # Inference walks every tree to the deepest one's depth: shallow trees score faster.
    max_depth: int = 8


@dataclass(slots=True)
class Example:
    """One rendering of one page: a feature row and a label per block the rules kept."""

    page: int
    texts: list[str]  # the blocks', for the second pass's cohesion features
    stop_words: frozenset[str]  # of the page's language, found once for both passes
    rows: np.ndarray
    labels: np.ndarray
    weights: np.ndarray


def align_labels(blocks: list[str], gold: str) -> list[bool]:
    """For each block, True when most of its tokens align to the gold text in order."""
    page_tokens: list[str] = []
    owner: list[int] = []
    for index, text in enumerate(blocks):
        tokens = lower_tokens(text)
        page_tokens += tokens
        owner += [index] * len(tokens)
    gold_tokens = lower_tokens(gold)
    sizes = [0] * len(blocks)
    for index in owner:
        sizes[index] += 1
    matched = [0] * len(blocks)
    matcher = SequenceMatcher(None, page_tokens, gold_tokens, autojunk=False)
    for start, _, size in matcher.get_matching_blocks():
        for position in range(start, start + size):
            index = owner[position]
            if size >= MIN_RUN or size >= sizes[index]:
                matched[index] += 1
    return [sizes[i] > 0 and matched[i] >= CONTENT_SHARE * sizes[i] for i in range(len(blocks))]


def render(record: dict, how: str, page_text: str | None = None) -> PageText:
    """The page as one scraper would see it (no text when that renderer finds nothing).
    `page_text` is its "html_text" rendering when already made (for "wrapped")."""
    if how == "gold":
        return PageText(record["gold"])
    if how == "wrapped":
        if page_text is None:
            page_text = render(record, "html_text").text
        return PageText(_wrapped(record, page_text))
    page = record.get("html")
    if not page:  # a record of raw text: that is its one rendering
        return PageText(record.get("text", "") if how == "html_text" else "")
    if how == "html":  # stripper's own renderer, which `--input html` reads, with links
        # With the site's menus, as the other renderers keep them: the model serves text
        # input too, and learns menus from every rendering (trained without these, it
        # lost 0.002 to 0.003 F1 on dragnet and l3s text).
        return render_html(page, menus=True)
    return PageText(scraper_text(page, how))


def _wrapped(record: dict, page_text: str) -> str:
    """The gold between the first and the last WRAP_LINES lines of the page's text that
    the gold does not hold."""
    gold = record["gold"]
    lines = [line.strip() for line in page_text.splitlines()]
    chrome = [line for line in lines if line and line not in gold]
    if not chrome:
        return ""
    head, tail = chrome[:WRAP_LINES], chrome[WRAP_LINES:][-WRAP_LINES:]
    return "\n".join([*head, gold, *tail])


_RULES: Stripper | None = None


def _init_worker() -> None:
    global _RULES
    # The blocks the model first sees: what the rules ahead of it leave. The comment
    # thread cut runs after the model, on its scores, so it is not one of them.
    _RULES = Stripper(Config(use_model=False, cut_comments=False))


def page_examples(job: tuple[int, dict, tuple[str, ...]]) -> list[Example]:
    """Every rendering of one page as labelled blocks, as the model sees them."""
    page, record, renderings = job
    assert _RULES is not None, "call _init_worker first"
    examples = []
    rendered: dict[str, str] = {}
    for how in renderings:
        try:
            page_text = render(record, how, rendered.get("html_text"))
        except Exception:  # a page one renderer cannot parse is still used by the others
            continue
        rendered[how] = page_text.text
        blocks = _RULES.strip_page(page_text).blocks
        if not blocks:
            continue
        if how == "gold":
            aligned = [True] * len(blocks)
        else:
            aligned = align_labels([b.text for b in blocks], record["gold"])
        live = [i for i, block in enumerate(blocks) if block.live]
        if not live:
            continue
        texts = [blocks[i].text for i in live]
        stop_words = page_stop_words(texts)
        rows = block_features(texts, stop_words, [blocks[i].link_share for i in live])
        labels = np.array([aligned[i] for i in live], dtype=float)
        weights = np.sqrt(np.expm1(rows[:, 0]) + 1)
        examples.append(Example(page, texts, stop_words, rows, labels, weights))
    return examples


def _usable(settings: TrainSettings, counts: dict[str, int]) -> Iterator[dict]:
    for path in settings.corpora:
        for record in read_corpus(path):
            counts["read"] += 1
            gold, page = record.get("gold"), record.get("html") or record.get("text")
            share = record.get("gold_in_page")  # None: not measured
            if not isinstance(gold, str) or not gold.strip() or not isinstance(page, str):
                counts["no gold or page"] += 1
            elif share is not None and share < settings.min_gold_in_page:
                counts["gold not in page"] += 1
            elif not settings.include_held_out and is_held_out(str(record.get("id", ""))):
                counts["held out"] += 1
            else:
                counts["used"] += 1
                yield record


def collect(settings: TrainSettings, progress: Callable[[str], None]) -> list[Example]:
    counts = {"read": 0, "no gold or page": 0, "gold not in page": 0, "held out": 0, "used": 0}
    jobs = (
        (page, record, settings.renderings) for page, record in enumerate(_usable(settings, counts))
    )
    examples: list[Example] = []
    with Pool(max(settings.workers, 1), initializer=_init_worker) as pool:
        for done, page_list in enumerate(pool.imap(page_examples, jobs, chunksize=4), 1):
            examples += page_list
            if done % 250 == 0:
                progress(f"rendered and aligned {done} pages")
    progress("pages: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if not examples:
        raise ValueError("no usable pages: records need `gold` and `html` (or `text`)")
    return examples + [_unlinked(e) for e in examples if _has_links(e)]


LINK_COLUMNS = [names().index("link_share"), names().index("link_share_window")]


def _has_links(example: Example) -> bool:
    return bool((example.rows[:, LINK_COLUMNS] != UNKNOWN_LINK_SHARE).any())


def _unlinked(example: Example) -> Example:
    """The rendering once more as text, its links unknown. Without it, the model learned
    HTML's menus from their links alone, and text, which has none, lost (l3s F1 -0.008)."""
    rows = example.rows.copy()
    rows[:, LINK_COLUMNS] = UNKNOWN_LINK_SHARE
    return Example(
        example.page, example.texts, example.stop_words, rows, example.labels, example.weights
    )


def _classifier(settings: TrainSettings) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        max_iter=settings.trees,
        learning_rate=settings.learning_rate,
        max_leaf_nodes=settings.max_leaf_nodes,
        max_depth=settings.max_depth,
        min_samples_leaf=40,
        early_stopping=False,
        random_state=settings.seed,
    )


def _fit(settings: TrainSettings, examples: list[Example], rows: list[np.ndarray]):
    model = _classifier(settings)
    model.fit(
        np.vstack(rows),
        np.concatenate([e.labels for e in examples]),
        sample_weight=np.concatenate([e.weights for e in examples]),
    )
    return model


def _out_of_fold_scores(settings: TrainSettings, examples: list[Example]) -> list[np.ndarray]:
    """First-pass scores of each example from a model trained on the other folds' pages."""
    scores: list[np.ndarray] = [np.zeros(0)] * len(examples)
    for fold in range(FOLDS):
        train = [e for e in examples if e.page % FOLDS != fold]
        model = _fit(settings, train, [e.rows for e in train])
        for i, example in enumerate(examples):
            if example.page % FOLDS == fold:
                scores[i] = model.predict_proba(example.rows)[:, 1]
    return scores


def trees_to_json(model: HistGradientBoostingClassifier) -> dict:
    """The fitted trees as padded arrays (see `stripper.model.Trees`)."""
    trees = [predictors[0].nodes for predictors in model._predictors]
    width = max(len(nodes) for nodes in trees)
    feature, threshold, left, right, value = [], [], [], [], []
    for nodes in trees:
        pad = width - len(nodes)
        leaf = nodes["is_leaf"].astype(bool)
        own = np.arange(len(nodes))
        feature.append([*np.where(leaf, 0, nodes["feature_idx"]).tolist(), *[0] * pad])
        threshold.append([*np.where(leaf, 0.0, nodes["num_threshold"]).tolist(), *[0.0] * pad])
        left.append([*np.where(leaf, own, nodes["left"]).tolist(), *[0] * pad])
        right.append([*np.where(leaf, own, nodes["right"]).tolist(), *[0] * pad])
        value.append([*np.where(leaf, nodes["value"], 0.0).tolist(), *[0.0] * pad])
    return {
        "baseline": float(np.ravel(model._baseline_prediction)[0]),
        "depth": int(max(nodes["depth"].max() for nodes in trees)),
        "feature": feature,
        "threshold": threshold,
        "left": left,
        "right": right,
        "value": value,
    }


def _checksum(paths: tuple[Path, ...]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def _command(settings: TrainSettings, out: Path) -> str:
    """The command that rebuilds the file; file names only, no machine paths."""
    parts = ["stripper", "train", *(p.name for p in settings.corpora), "--out", out.name]
    parts += ["--seed", str(settings.seed), "--min-gold-in-page", str(settings.min_gold_in_page)]
    if settings.include_held_out:
        parts.append("--include-held-out")
    return " ".join(parts)


def train_model(
    settings: TrainSettings, out: Path, progress: Callable[[str], None] = lambda _: None
) -> str:
    """Train on the corpora, write the model file to `out`; returns a one-line summary."""
    examples = collect(settings, progress)
    data = fit_model(settings, examples, _command(settings, out), progress)
    out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    pages, blocks = data["meta"]["pages"], data["meta"]["blocks"]
    return f"wrote {out}: {pages} pages, {blocks} blocks, {out.stat().st_size:,} bytes"


def fit_model(
    settings: TrainSettings,
    examples: list[Example],
    command: str,
    progress: Callable[[str], None] = lambda _: None,
) -> dict:
    """Both passes' trees fitted on the examples, as the model file's JSON object."""
    labels = np.concatenate([e.labels for e in examples])
    if labels.min() == labels.max():
        raise ValueError("the rules leave only one kind of block (all article or all chrome)")
    progress(f"training on {len(labels)} blocks ({labels.mean():.0%} article text)")
    first = _fit(settings, examples, [e.rows for e in examples])
    progress("first pass trained; out-of-fold scores for the second")
    scores = _out_of_fold_scores(settings, examples)
    second_rows = [
        score_features(e.rows, s, e.texts, e.stop_words)
        for e, s in zip(examples, scores, strict=True)
    ]
    second = _fit(settings, examples, second_rows)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "generated": "by `stripper train`; do not edit, rebuild with the command in meta",
        "features": names(),
        "second_features": second_pass_names(),
        "meta": {
            "command": command,
            "training_data_sha256": _checksum(settings.corpora),
            "stripper_version": __version__,
            "pages": len({e.page for e in examples}),
            "blocks": len(labels),
            "renderings": list(settings.renderings),
            "seed": settings.seed,
        },
        "first": trees_to_json(first),
        "second": trees_to_json(second),
    }
