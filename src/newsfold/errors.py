"""Exceptions newsfold raises. The CLI turns them into one-line messages."""

from __future__ import annotations


class NewsfoldError(Exception):
    """Base class: anything the user can act on, shown without a traceback."""


class InputError(NewsfoldError):
    """An input file (or one line of it) cannot be read as an article."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class StoreError(NewsfoldError):
    """The store cannot be opened, is locked, or is from a newer newsfold."""


class NotFoundError(NewsfoldError):
    """An id asked for (event, article, storyline) is not in the store."""


class MissingExtra(NewsfoldError):
    """An optional part needs packages that are not installed."""

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(f"this needs the optional package {module!r}: install newsfold[{extra}]")


class UnknownComponent(NewsfoldError):
    """A factory was asked for a component kind it does not know."""

    def __init__(self, what: str, kind: str, known: list[str]) -> None:
        super().__init__(f"unknown {what} {kind!r}; choose one of: {', '.join(sorted(known))}")
