"""The router: highest score wins, ties go to the earlier handler, and a handler that cannot win is not asked."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bot.router import BaseHandler, Claim, Handler, Priority, route
from bot.turn import Outcome, Turn


class Fixed(BaseHandler):
    def __init__(self, name: str, score: float | None, ceiling: float = Priority.COMMAND):
        self.name, self.score, self.asked, self._ceiling = name, score, 0, ceiling

    def ceiling(self, turn: Turn) -> float:
        return self._ceiling

    def check(self, turn: Turn) -> Claim | None:
        self.asked += 1
        return None if self.score is None else Claim(self.score, self.name)

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        raise AssertionError("not called here")


def _route(*handlers: Any) -> Handler:
    # These handlers never look at the turn; the router notes the bar on it and asks its reading for an intent.
    turn = SimpleNamespace(bar=0.0, reading=SimpleNamespace(intent=lambda: None))
    handler, claim = route(list(handlers), turn)  # type: ignore[arg-type]
    assert claim.parsed == handler.name  # what the winner parsed travels with it
    return handler


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


def test_each_check_sees_the_claim_it_must_beat() -> None:
    seen: list[float] = []

    class Watcher(Fixed):
        def check(self, turn: Turn) -> Claim | None:
            seen.append(turn.bar)
            return super().check(turn)

    _route(Fixed("form", 0.8), Watcher("later", None))
    assert seen == [0.8]
