"""Registration abuse: caps per member (a web chat session is one) and per client address, per event and per
hour, counted in the database; through the engine, and as a burst over real HTTP from one address."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import Engine, select

from bot.desk.registration_rules import RegistrationCap, Rules
from bot.messages import Incoming
from bot.storage.models import Registration
from bot.understanding.knowledge_base import Library
from tests.conftest import NOW, TestBot
from tests.fakes import visitor
from tests.test_hardening import running, say
from tests.test_registration import reg_library, register  # noqa: F401  (a fixture)


def statuses(db: Engine) -> list[tuple[str, str, str | None]]:
    with db.connect() as conn:
        return [(r.user_id, r.status, r.origin) for r in conn.execute(
            select(Registration.user_id, Registration.status, Registration.origin).order_by(Registration.id))]


def again(bot: TestBot, user: str, event: str) -> str:
    """Register with the details of last time."""
    bot.say(f"register for the {event}", user=user)
    bot.say("yes", user=user)  # use the same details
    return bot.say("yes", user=user).text  # confirm


def cancel(bot: TestBot, user: str) -> None:
    bot.say("cancel my registration", user=user)
    assert "cancelled" in bot.say("yes", user=user).text


def test_one_member_registering_and_cancelling_in_a_loop_is_stopped(reg_library: Library,  # noqa: F811
                                                                    db: Engine) -> None:
    bot = TestBot(reg_library, db)
    register(bot, "a", "Big Expo", "Ann Lee", "A Co", "ann@a.example")
    for _ in range(2):
        cancel(bot, "a")
        assert "You're registered" in again(bot, "a", "Big Expo")
    cancel(bot, "a")
    refused = again(bot, "a", "Big Expo")
    assert "No more registrations for Big Expo 2027 can be made from here" in refused
    assert [s for _, s, _ in statuses(db)] == ["cancelled", "cancelled", "cancelled"]
    assert "You're registered" in again(bot, "a", "Tiny Forum"), "other events are not affected"


def test_per_member_per_hour_and_when_to_come_back(reg_library: Library, db: Engine) -> None:  # noqa: F811
    bot = TestBot(reg_library, db)
    bot.engine.registration_rules = Rules(RegistrationCap(per_member_hour=2))
    register(bot, "a", "Big Expo", "Ann Lee", "A Co", "ann@a.example")
    bot.now = NOW + timedelta(minutes=20)
    assert "You're registered" in again(bot, "a", "Tiny Forum")
    bot.now = NOW + timedelta(minutes=30)
    assert "try again in about 30 minutes" in again(bot, "a", "London Matchmaking Conference")
    bot.now = NOW + timedelta(minutes=61)
    assert "You're registered" in again(bot, "a", "London Matchmaking Conference")


def _web(bot: TestBot, user: str, origin: str, text: str) -> str:
    inc = Incoming("web", user, text, chat_id=user, raw={"origin": origin})
    return "\n".join(r.text for r in bot.engine.handle(inc).replies)


def _web_register(bot: TestBot, user: str, origin: str, event: str, lang: str = "en") -> str:
    _web(bot, user, origin, f"I'd like to register for the {event}" if lang == "en" else f"我想报名{event}")
    _web(bot, user, origin, f"Person {user}")
    _web(bot, user, origin, "Co")
    _web(bot, user, origin, f"{user}@example.com")
    return _web(bot, user, origin, "yes" if lang == "en" else "确认")


def test_per_address_caps_across_sessions(reg_library: Library, db: Engine) -> None:  # noqa: F811
    bot = TestBot(reg_library, db)
    bot.engine.registration_rules = Rules(RegistrationCap(per_address_event=2, per_address_hour=3))
    assert "You're registered" in _web_register(bot, "s1", "o1", "Big Expo")
    assert "You're registered" in _web_register(bot, "s2", "o1", "Big Expo")
    assert "No more registrations" in _web_register(bot, "s3", "o1", "Big Expo")
    assert "You're registered" in _web_register(bot, "s4", "o2", "Big Expo"), "another address is not affected"
    assert "You're registered" in _web_register(bot, "s5", "o1", "Tiny Forum")
    assert "分钟后再试" in _web_register(bot, "s6", "o1", "迷你论坛", lang="zh")  # 3 an hour from o1
    assert [(u, o) for u, _, o in statuses(db)] == [("s1", "o1"), ("s2", "o1"), ("s4", "o2"), ("s5", "o1")]


def test_a_burst_of_made_up_people_from_one_address_over_http(reg_library: Library, db: Engine) -> None:  # noqa: F811
    """One address, fresh sessions, the last step sent by all at once: at most the per-address cap (3) get in."""
    bot = TestBot(reg_library, db, channel="web")
    with running(bot) as url:
        members = [visitor(url, **{"X-Forwarded-For": "198.51.100.7"}) for _ in range(5)]
        clients = [m.__enter__() for m in members]
        try:
            for n, client in enumerate(clients):
                say(client, "I'd like to register for the Tiny Forum")
                say(client, f"Made Up {n}")
                say(client, "Fake Co")
                assert "Is this correct" in say(client, f"fake{n}@example.com")
            answers: list[str] = [""] * len(clients)

            def confirm(n: int) -> None:
                answers[n] = say(clients[n], "yes")

            threads = [threading.Thread(target=confirm, args=(n,)) for n in range(len(clients))]
            for th in threads:
                th.start()
            for th in threads:
                th.join(timeout=60)
            with visitor(url, **{"X-Forwarded-For": "198.51.100.8"}) as elsewhere:
                say(elsewhere, "I'd like to register for the Tiny Forum")
                say(elsewhere, "Real Person")
                say(elsewhere, "Real Co")
                say(elsewhere, "real@example.com")
                assert "waitlist at position 2" in say(elsewhere, "yes")
        finally:
            for m in members:
                m.__exit__(None, None, None)
    assert sum("No more registrations" in a for a in answers) == 2, answers
    rows = statuses(db)
    assert len(rows) == 4 and len({o for _, _, o in rows}) == 2
    assert [s for _, s, _ in rows] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
