"""The learned model: scores how much each block looks like article text.

Two passes of gradient-boosted trees: the first scores every block from its own
features and its neighbours'; the second reads those scores around each block
(windows, the best-scoring region) and decides with that context. The trees are
stored as plain arrays in a JSON file that `stripper train` writes, and evaluated
here with numpy, every tree and every block at once: no training library needed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from stripper.features import (
    block_features,
    names,
    page_stop_words,
    score_features,
    second_pass_names,
)

FORMAT = "stripper-model"
FORMAT_VERSION = 1
SHIPPED = "model.json"
ROWS_AT_ONCE = 256  # blocks scored together (see Trees.probability)


class ModelError(Exception):
    """The model file is missing, unreadable or not one `stripper train` wrote."""


@dataclass(frozen=True, slots=True)
class Trees:
    """A boosted tree ensemble as flat arrays: every tree's nodes one after another.

    In the file each tree is a row padded to the same node count; here the rows are
    laid end to end and child links point into that flat layout, so one `take` per
    array moves every block one step down every tree. A leaf points to itself, so
    walking `depth` steps from the roots lands every block on its leaf in every tree.
    """

    baseline: float
    roots: np.ndarray  # [trees] flat index of each tree's root
    feature: np.ndarray  # [nodes] column tested at the node
    threshold: np.ndarray  # go left when value <= threshold
    # [2 * nodes] flat index of node i's right child at 2i, its left child at 2i + 1:
    # `2 * node + went_left` finds the next node in one take.
    children: np.ndarray
    value: np.ndarray  # a leaf's contribution to the raw score
    depth: int

    @classmethod
    def from_json(cls, data: dict) -> Trees:
        feature = np.array(data["feature"], dtype=np.intp)
        n_trees, width = feature.shape
        offsets = (np.arange(n_trees, dtype=np.intp) * width)[:, None]
        left = (np.array(data["left"], dtype=np.intp) + offsets).ravel()
        right = (np.array(data["right"], dtype=np.intp) + offsets).ravel()
        return cls(
            baseline=float(data["baseline"]),
            roots=offsets[:, 0].copy(),
            feature=feature.ravel(),
            threshold=np.array(data["threshold"], dtype=np.float64).ravel(),
            children=np.column_stack([right, left]).ravel(),
            value=np.array(data["value"], dtype=np.float64).ravel(),
            depth=int(data["depth"]),
        )

    def probability(self, rows: np.ndarray) -> np.ndarray:
        # A few hundred rows at a time: the walk's arrays are rows x trees long, and a
        # long page's would take tens of MB at once.
        parts = max(1, -(-len(rows) // ROWS_AT_ONCE))
        raw = np.concatenate([self._raw(part) for part in np.array_split(rows, parts)])
        return 1.0 / (1.0 + np.exp(-raw))

    def _raw(self, rows: np.ndarray) -> np.ndarray:
        n_rows, n_columns = rows.shape
        n_trees = len(self.roots)
        flat_rows = np.ascontiguousarray(rows, dtype=np.float64).ravel()
        # Every (block, tree) pair, block by block, steps down its tree `depth` times.
        # Setting aside the pairs already on a leaf every few steps costs more than it
        # saves on trees this shallow (measured).
        node = np.tile(self.roots, n_rows)
        row_start = np.repeat(np.arange(n_rows, dtype=np.intp) * n_columns, n_trees)
        for _ in range(self.depth):
            tested = flat_rows.take(row_start + self.feature.take(node))
            node = self.children.take(2 * node + (tested <= self.threshold.take(node)))
        return self.baseline + self.value.take(node.reshape(n_rows, n_trees)).sum(axis=1)


@dataclass(frozen=True, slots=True)
class Model:
    first: Trees
    second: Trees
    meta: dict  # how the file was made: command, training data checksum, counts

    def scores(
        self,
        texts: list[str],
        stop_words: frozenset[str] | None = None,
        link_shares: list[float | None] | None = None,
    ) -> np.ndarray:
        """For each block, the probability that it is article text. `stop_words` are
        those of the page's language (`page_stop_words`), found from `texts` if not given;
        `link_shares` as `block_features` takes them."""
        if not texts:
            return np.zeros(0)
        stop = page_stop_words(texts) if stop_words is None else stop_words
        rows = block_features(texts, stop, link_shares)
        first = self.first.probability(rows)
        return self.second.probability(score_features(rows, first, texts, stop))


def model_from_json(data: dict) -> Model:
    """A Model from a parsed model file; ModelError when it is not one of ours."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError("not a stripper model file")
    if data.get("version") != FORMAT_VERSION:
        raise ModelError(f"model format version {data.get('version')}, expected {FORMAT_VERSION}")
    if data.get("features") != names() or data.get("second_features") != second_pass_names():
        raise ModelError("model was trained on other features than this version computes")
    try:
        first, second = Trees.from_json(data["first"]), Trees.from_json(data["second"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"model file is damaged ({exc})") from None
    return Model(first, second, data.get("meta", {}))


@cache
def load_model(path: Path | None = None) -> Model:
    """The model in `path`, or the one shipped with the package; loaded once."""
    name = str(path or SHIPPED)
    try:
        if path is None:
            text = resources.files("stripper.data").joinpath(SHIPPED).read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        data = json.loads(text)
    except OSError as exc:
        raise ModelError(f"cannot read model {name!r}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"model {name!r} is not JSON ({exc})") from None
    return model_from_json(data)
