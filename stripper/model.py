"""The learned model: scores how much each block looks like article text."""

from __future__ import annotations


class ModelError(Exception):
    """The model file is missing, unreadable or not one `stripper train` wrote."""
