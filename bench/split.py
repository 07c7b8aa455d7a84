"""The held-out split of the training corpora, shared by the benchmark and any training command.

A page is held out when ``sha1(id) mod 5 == 0`` (about 20% of the pages). The split depends on
the record ``id`` alone, so it is stable across runs, machines, corpus re-orderings and added
pages. Training code must skip every page for which :func:`is_held_out` is true; the quality
benchmark evaluates the ``train`` corpora on exactly those pages.
"""

from __future__ import annotations

import hashlib

HELD_OUT_MODULUS = 5


def is_held_out(record_id: str) -> bool:
    """True when the page with this record ``id`` belongs to the held-out (evaluation) part."""
    digest = hashlib.sha1(record_id.encode("utf-8")).digest()
    return int.from_bytes(digest, "big") % HELD_OUT_MODULUS == 0
