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


class MovedError(NotFoundError):
    """An event or storyline id that was merged into another one: ``new_id`` is the live
    id it went into (followed through later merges). Ids are never renumbered; a merge is
    recorded, and an old id leads to where its articles are now."""

    def __init__(self, kind: str, old_id: str, new_id: str) -> None:
        self.kind = kind
        self.old_id = old_id
        self.new_id = new_id
        super().__init__(f"{kind} {old_id!r} was merged into {new_id!r}")


class PendingError(NotFoundError):
    """An event or storyline id that the undo of the end of a run took away, about to be
    grouped or linked again by the run that undid it (or, if that run stopped, by the
    next one): the id is back, or leads to where its articles went, once that run ends.
    ``first``: the article that founded the event (None for a storyline)."""

    def __init__(self, kind: str, old_id: str, first: str | None = None) -> None:
        self.kind = kind
        self.old_id = old_id
        self.first = first
        if kind != "event":
            what = "its events wait to be linked"
        elif first is None:
            what = "its articles wait to be grouped"
        else:
            what = f"its first article {first!r} waits to be grouped"
        super().__init__(
            f"{kind} {old_id!r} is being regrouped: a run took back the end of the last run "
            f"and has not finished ({what}); try again once it has (if no run is going, "
            "the last one stopped: run newsfold again)"
        )


class MissingExtra(NewsfoldError):
    """An optional part needs packages that are not installed."""

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(f"this needs the optional package {module!r}: install newsfold[{extra}]")


class UnknownComponent(NewsfoldError):
    """A factory was asked for a component kind it does not know."""

    def __init__(self, what: str, kind: str, known: list[str]) -> None:
        super().__init__(f"unknown {what} {kind!r}; choose one of: {', '.join(sorted(known))}")
