"""The terminal channel: an interactive chat for people and a JSON-lines protocol for scripts.

Like every channel it only translates: a line of input becomes an Incoming, a TurnResult becomes printed text.
"""

from __future__ import annotations

import base64
import json
import logging
import sys
from pathlib import Path
from typing import IO, Any

from bot.engine import BotEngine
from bot.messages import Incoming, TurnResult

CHANNEL = "console"
log = logging.getLogger(__name__)


def render(result: TurnResult) -> str:
    """Replies as plain text, buttons as numbered options (typing the number chooses it)."""
    out: list[str] = []
    n = 0
    for reply in result.replies:
        out.append(reply.text)
        for button in reply.buttons:
            n += 1
            out.append(f"  {n}) {button.label}")
        for att in reply.attachments:
            out.append(f"  [file: {att.filename}]")
    return "\n".join(out)


def run_interactive(engine: BotEngine, user: str, stdin: IO[str], stdout: IO[str], files_dir: Path) -> int:
    stdout.write("GASME member assistant. Type your question (English or 中文); Ctrl-D to quit.\n")
    stdout.flush()
    interactive = stdin.isatty()
    while True:
        if interactive:
            stdout.write("\nyou> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            return 0
        result = engine.handle(Incoming(CHANNEL, user, line.rstrip("\n"), chat_id=user))
        for notice in take_notices(engine, user):
            stdout.write(("\n" if interactive else "") + "bot> " + notice.replace("\n", "\n     ") + "\n")
        text = render(result)
        for reply in result.replies:
            for att in reply.attachments:
                files_dir.mkdir(parents=True, exist_ok=True)
                path = files_dir / att.filename
                path.write_bytes(att.data)
                text = text.replace(f"[file: {att.filename}]", f"[file saved: {path}]")
        stdout.write(("\n" if interactive else "") + "bot> " + text.replace("\n", "\n     ") + "\n")
        stdout.flush()


def _line_result(user: Any, result: TurnResult | None, error: str | None = None) -> dict[str, Any]:
    if result is None:
        return {"user": user, "replies": [error or "error"], "intent": "fallback", "answer_id": None,
                "handoff": False, "error": error}
    return {
        "user": user,
        "replies": [r.text for r in result.replies],
        "intent": result.intent,
        "answer_id": result.answer_id,
        "handoff": result.handoff,
        "lang": result.lang,
        "buttons": [{"label": b.label, "payload": b.payload} for r in result.replies for b in r.buttons],
        "attachments": [
            {"filename": a.filename, "mime_type": a.mime_type, "data_base64": base64.b64encode(a.data).decode()}
            for r in result.replies for a in r.attachments
        ],
    }


def take_notices(engine: BotEngine, user: str) -> list[str]:
    """Messages queued for this console member by other turns (a waitlist promotion, a staff reply)."""
    # text_only: a reminder's button and calendar file as typed instructions (the console shows pulled text only)
    return [str(item.payload.get("text_only") or item.payload.get("text", ""))
            for item in engine.pending_for(CHANNEL, user)]


def run_jsonl(engine: BotEngine, stdin: IO[str], stdout: IO[str]) -> int:
    """One JSON object out per line in, flushed at once. Bad input gets an error line; the loop never dies."""
    for raw in stdin:
        if not raw.strip():
            continue
        user: Any = None
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("each line must be a JSON object like {\"user\": \"u1\", \"text\": \"...\"}")
            user = data.get("user")
            text = data.get("text", "")
            if not isinstance(user, str | int) or isinstance(user, bool) or str(user) == "":
                raise ValueError("\"user\" must be a non-empty string")
            if not isinstance(text, str):
                raise ValueError("\"text\" must be a string")
            line = _line_result(user, engine.handle(Incoming(CHANNEL, str(user), text, chat_id=str(user))))
            line["notices"] = take_notices(engine, str(user))
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            line = _line_result(user, None, f"bad input: {exc}")
        except Exception as exc:  # never let one line end the session
            log.exception("turn failed")
            line = _line_result(user, None, f"internal error: {type(exc).__name__}")
        stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def main_stdio(engine: BotEngine, jsonl: bool, user: str) -> int:
    if jsonl:
        return run_jsonl(engine, sys.stdin, sys.stdout)
    return run_interactive(engine, user, sys.stdin, sys.stdout, Path.cwd() / "gasme-files")
