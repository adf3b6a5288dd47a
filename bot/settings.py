"""Configuration from the environment (and a .env file in the working directory, if there is one)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bot.db import DEFAULT_URL


@dataclass(frozen=True)
class Settings:
    database_url: str
    knowledge_dir: Path | None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        if environ is None:
            from dotenv import load_dotenv

            load_dotenv(Path.cwd() / ".env", override=False)
            environ = dict(os.environ)
        knowledge = environ.get("GASME_KNOWLEDGE_DIR")
        return cls(
            database_url=environ.get("DATABASE_URL") or DEFAULT_URL,
            knowledge_dir=Path(knowledge) if knowledge else None,
        )
