"""What an operator scrapes: `/metrics` in the Prometheus text format (prometheus-client).

Counted as things happen, in every process that does them: turn latency by outcome, the model's time per batch
and the batch sizes. Read from the database at each scrape, whichever process answers it: the outbox backlog and
the age of its oldest row, open tickets, registrations per event and status.

Several processes (`serve` with WEB_CONCURRENCY > 1, a separate `worker`) share their counts through files in
PROMETHEUS_MULTIPROC_DIR, as prometheus-client's multiprocess mode does: set it to the same empty directory for
every process of a deployment. Without it, `serve` with several web processes makes one of its own (each start
empties it). The variable must be set before prometheus-client is imported, hence `prepare()` first and the
imports inside functions.

Access: a bearer token from GASME_METRICS_TOKEN; without one, loopback clients only.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.engine import BotEngine
from bot.messages import TurnResult
from bot.storage.models import Outbox, Registration, Ticket

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

MULTIPROC = "PROMETHEUS_MULTIPROC_DIR"
# Turn latency buckets (seconds): a quick answer takes milliseconds, a slow one with the model under load tenths.
TURN_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
EMBED_BUCKETS = (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32)


def prepare(processes: int) -> None:
    """When `serve` starts, before any metric exists: the shared directory emptied (counts of processes gone must
    not add up again), or, with several processes and none set, one made for them."""
    found = os.environ.get(MULTIPROC)
    if found:
        Path(found).mkdir(parents=True, exist_ok=True)
        for path in Path(found).glob("*.db"):
            path.unlink(missing_ok=True)
    elif processes > 1:
        os.environ[MULTIPROC] = tempfile.mkdtemp(prefix="gasme-metrics-")


class _Meters:
    """The process's meters, made on first use (after `prepare`)."""

    def __init__(self) -> None:
        from prometheus_client import Histogram

        self.turns = Histogram("gasme_turn_seconds", "Time to answer a member's message, by outcome",
                               ["outcome"], buckets=TURN_BUCKETS)
        self.embed = Histogram("gasme_embedding_seconds", "Time the model took per batch of messages",
                               buckets=EMBED_BUCKETS)
        self.batch = Histogram("gasme_embedding_batch_size", "Messages embedded together in one model call",
                               buckets=BATCH_BUCKETS)


_meters: _Meters | None = None


def meters() -> _Meters:
    global _meters
    if _meters is None:
        _meters = _Meters()
        from bot.understanding import batcher

        batcher.observers.append(observe_batch)
    return _meters


def observe_batch(size: int, seconds: float) -> None:
    m = meters()
    m.embed.observe(seconds)
    m.batch.observe(size)


def outcome_of(result: TurnResult) -> str:
    """answered, suggested, unknown, handoff, registration, or the intent for the rest (events, smalltalk...)."""
    if result.handoff or result.intent == "handoff":
        return "handoff"
    if result.intent == "faq":
        return "answered"
    if result.intent == "fallback":
        offered = any(b.payload.startswith("/faq ") for r in result.replies for b in r.buttons)
        return "suggested" if offered else "unknown"
    return result.intent


def observe_turn(result: TurnResult, seconds: float) -> None:
    if result.duplicate:
        return
    meters().turns.labels(outcome_of(result)).observe(seconds)


def _state_rows(db: Engine, now: datetime) -> Iterator[tuple[str, str, dict[str, str], float]]:
    """(name, help, labels, value) read from the database."""
    with db.connect() as conn:
        backlog, oldest = conn.execute(select(func.count(), func.min(Outbox.created_at))
                                       .where(Outbox.status.in_(("pending", "sending")))).one()
        yield "gasme_outbox_backlog", "Outbox rows waiting to be delivered", {}, float(backlog or 0)
        age = 0.0
        if oldest is not None:
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=now.tzinfo)
            age = max(0.0, (now - oldest).total_seconds())
        yield "gasme_outbox_oldest_age_seconds", "Age of the oldest undelivered outbox row", {}, age
        open_tickets = conn.scalar(select(func.count()).select_from(Ticket).where(Ticket.status != "resolved"))
        yield "gasme_tickets_open", "Tickets staff have not resolved", {}, float(open_tickets or 0)
        for event_id, status, count in conn.execute(select(Registration.event_id, Registration.status, func.count())
                                                    .group_by(Registration.event_id, Registration.status)):
            yield ("gasme_registrations", "Registrations per event and status",
                   {"event": event_id, "status": status}, float(count))


class StateCollector:
    """Gauges read from the database at scrape time (the same in every process: no multiprocess files)."""

    def __init__(self, db: Engine, clock: Any):
        self.db = db
        self.clock = clock

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        families: dict[str, GaugeMetricFamily] = {}
        for name, doc, labels, value in _state_rows(self.db, self.clock()):
            family = families.get(name)
            if family is None:
                family = families[name] = GaugeMetricFamily(name, doc, labels=list(labels))
            family.add_metric(list(labels.values()), value)
        yield from families.values()


def exposition(db: Engine, clock: Any) -> tuple[bytes, str]:
    """The text to answer a scrape with, and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    meters()  # the meters exist (at zero) before the first turn
    registry: CollectorRegistry
    if os.environ.get(MULTIPROC):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    state = CollectorRegistry(auto_describe=False)
    state.register(StateCollector(db, clock))
    return generate_latest(registry) + generate_latest(state), CONTENT_TYPE_LATEST


def route(engine: BotEngine, token: str | None) -> Route:
    """/metrics of a web process; its engine's turns are counted from now on."""
    if observe_turn not in engine.listeners:
        engine.listeners.append(observe_turn)

    async def scrape(request: Request) -> Response:
        client = request.client.host if request.client else None
        if not allowed(token, request.headers.get("authorization"), client):
            if token:
                return PlainTextResponse("bearer token required\n", status_code=401,
                                         headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
            return PlainTextResponse("metrics are served to this machine only (set GASME_METRICS_TOKEN)\n",
                                     status_code=403)
        # The database gauges are read on the engine's pool: the event loop never waits on the database.
        body, content_type = await engine.run_async(exposition, engine.db, engine.clock)
        return Response(body, headers={"Content-Type": content_type})

    return Route("/metrics", scrape)


def allowed(token: str | None, authorization: str | None, client_host: str | None) -> bool:
    """A matching bearer token when one is set; otherwise a loopback client."""
    if token:
        scheme, _, given = (authorization or "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
    if not client_host:
        return False
    try:
        return ipaddress.ip_address(client_host).is_loopback
    except ValueError:
        return client_host == "localhost"
