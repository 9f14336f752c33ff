"""newsfold: fold news reports into events, storylines, facts and corroboration."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
