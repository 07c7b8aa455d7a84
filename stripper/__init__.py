"""stripper: return the main article body of scraped web text, and say what was cut and why."""

from stripper.config import Config, InputFormat
from stripper.document import Reason, Removal, Result, Span
from stripper.pipeline import Stripper, strip

__version__ = "0.1.0"
__all__ = [
    "Config",
    "InputFormat",
    "Reason",
    "Removal",
    "Result",
    "Span",
    "Stripper",
    "__version__",
    "strip",
]
