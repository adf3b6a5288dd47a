"""The router: highest score wins, ties go to the earlier handler, and a handler that cannot win is not asked."""

from __future__ import annotations

from typing import Any

from bot.router import route
from bot.turn import Handler, Outcome, Turn


class Fixed:
    def __init__(self, name: str, score: float | None, ceiling: float | None = None):
        self.name, self.score, self.asked = name, score, 0
        if ceiling is not None:
            self.ceiling = lambda turn: ceiling

    def matches(self, turn: Turn) -> float | None:
        self.asked += 1
        return self.score

    def handle(self, turn: Turn) -> Outcome:
        raise AssertionError("not called here")


def _route(*handlers: Any) -> Handler:
    return route(list(handlers), turn=None)  # type: ignore[arg-type]  # these handlers never look at the turn


def test_highest_score_wins_and_ties_go_first() -> None:
    a, b, c = Fixed("a", 0.5), Fixed("b", 0.9), Fixed("c", 0.9)
    assert _route(a, b, c) is b


def test_a_handler_that_cannot_win_is_not_asked() -> None:
    form = Fixed("form", 0.99)
    costly = Fixed("costly", 0.99, ceiling=0.99)
    assert _route(form, costly) is form
    assert costly.asked == 0


def test_a_handler_that_could_win_is_asked() -> None:
    low = Fixed("low", 0.5)
    costly = Fixed("costly", 0.8, ceiling=0.99)
    assert _route(low, costly) is costly
    assert costly.asked == 1
