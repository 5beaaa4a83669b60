"""How the sync engine's lanes are run: the `FanOut` interface and its plain, in-turn form.

A run of the engine splits the queue into lanes by issue (`cowapp.storage.outbox_store.Lane`):
the items of one issue are always in one lane, sent in order, while different lanes may send at
the same time. The engine itself has no threads; it hands its lanes to a `FanOut`. `InTurn`
runs them on the caller's thread; the sync worker's `ThreadFanOut` runs each on its own thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol


class FanOut(Protocol):
    """Runs a run's lanes: ``width`` tasks, concurrently or not, and returns when all are done.

    The engine has no threads; the worker passes one that runs each task on its own thread.
    """

    @property
    def width(self) -> int:
        """How many lanes to run (1..16)."""

    def __call__(self, tasks: Sequence[Callable[[], None]]) -> None:
        """Run every task; return when all have finished."""


class InTurn:
    """The plain `FanOut`: one lane, on the caller's thread (tests, ``cowapp sync --once``)."""

    width = 1

    def __call__(self, tasks: Sequence[Callable[[], None]]) -> None:
        """Run the tasks one after another."""
        for task in tasks:
            task()
