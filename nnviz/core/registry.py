"""Strings become objects in one place: every registry lookup goes through here."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def lookup(registry: dict[str, T], name: str, kind: str) -> T:
    """The registry entry for `name`, or a ValueError that lists the valid names."""
    try:
        return registry[name]
    except (KeyError, TypeError):
        valid = ", ".join(sorted(registry))
        raise ValueError(f"unknown {kind} {name!r}; choose one of: {valid}") from None
