"""YAML with line numbers, and the checks every knowledge file shares: each problem names the file, the line and
the field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from bot.messages import LANGS
from bot.understanding.knowledge_model import Text

ID_RE = re.compile(r"^[a-z0-9-]+$")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class KnowledgeError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Map(dict[str, Any]):
    line: int
    key_lines: dict[str, int]


class Seq(list[Any]):
    line: int
    item_lines: list[int]


class LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers on which line each mapping, key and list item starts (1-based)."""


def _construct_map(loader: LineLoader, node: yaml.MappingNode) -> Map:
    m = Map()
    m.line = node.start_mark.line + 1
    m.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        m[str(key)] = loader.construct_object(value_node, deep=True)
        m.key_lines[str(key)] = key_node.start_mark.line + 1
    return m


def _construct_seq(loader: LineLoader, node: yaml.SequenceNode) -> Seq:
    s = Seq(loader.construct_object(child, deep=True) for child in node.value)
    s.line = node.start_mark.line + 1
    s.item_lines = [child.start_mark.line + 1 for child in node.value]
    return s


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


def syntax_problem(file: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A syntax error at the line a person must fix. PyYAML notices an unclosed quote or a missing colon only where
    the damage ends (often many lines later); its context mark is where the broken construct began, so that line
    comes first and the line where reading failed is named too."""
    start, stop = exc.context_mark, exc.problem_mark
    line = (start or stop).line + 1 if (start or stop) else 1
    what = exc.problem or str(exc)
    if start is not None and stop is not None and stop.line != start.line:
        what += f" (reading failed at line {stop.line + 1}; look for an unclosed quote or a missing ':')"
    return Problem(file, line, "(syntax)", f"YAML syntax error: {what}")


class Checker:
    """Collects problems for one file; each `want_*` returns a value or None after recording a problem."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int, fld: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, fld, message))

    def load_list(self, path: Path) -> Seq | None:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=LineLoader)
        except UnicodeDecodeError as exc:
            self.add(1, "(file)", f"not UTF-8 text ({exc.reason})")
            return None
        except yaml.MarkedYAMLError as exc:
            self.problems.append(syntax_problem(self.file, exc))
            return None
        if data is None:
            empty = Seq()
            empty.line, empty.item_lines = 1, []
            return empty
        if not isinstance(data, Seq):
            self.add(getattr(data, "line", 1), "(file)", "must be a list of entries (lines starting with '- ')")
            return None
        return data

    def check_keys(self, item: Map, where: str, allowed: set[str], required: set[str]) -> None:
        for key in item:
            if key not in allowed:
                allowed_list = ", ".join(sorted(allowed))
                self.add(item.key_lines[key], f"{where}.{key}", f"unknown field (allowed: {allowed_list})")
        for key in sorted(required - item.keys()):
            self.add(item.line, f"{where}.{key}", "required field is missing")

    def line_of(self, item: Map, key: str) -> int:
        return item.key_lines.get(key, item.line)

    def want_id(self, item: Map, where: str, seen: dict[str, int]) -> str | None:
        value = item.get("id")
        if value is None:
            return None
        line = self.line_of(item, "id")
        if not isinstance(value, str) or not ID_RE.match(value):
            self.add(line, f"{where}.id", f"{value!r} is not a valid id: use lower-case letters, digits and '-'")
            return None
        if value in seen:
            self.add(line, f"{where}.id", f"duplicate id {value!r} (first used on line {seen[value]})")
            return None
        seen[value] = line
        return value

    def want_text(self, item: Map, key: str, where: str) -> Text | None:
        if key not in item:
            return None
        value, line = item[key], self.line_of(item, key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            text = str(value).strip()
            if not text:
                self.add(line, f"{where}.{key}", "must not be empty")
                return None
            return Text(en=text)
        if isinstance(value, Map):
            for lang in value:
                if lang not in LANGS:
                    self.add(value.key_lines[lang], f"{where}.{key}.{lang}",
                             f"unknown language {lang!r} (use {', '.join(LANGS)})")
            texts: dict[str, str] = {}
            for lang in LANGS:
                if lang not in value:
                    continue
                t = value[lang]
                if not isinstance(t, str) or not t.strip():
                    self.add(value.key_lines[lang], f"{where}.{key}.{lang}", "must be non-empty text")
                else:
                    texts[lang] = t.strip()
            if "en" not in value:
                self.add(line, f"{where}.{key}.en", "an English text is required in every language map")
                return None
            if "en" not in texts:
                return None
            return Text(en=texts["en"], zh=texts.get("zh"))
        self.add(line, f"{where}.{key}", "must be text or a map of languages like {en: ..., zh: ...}")
        return None

    def want_str_list(self, item: Map, key: str, where: str, *, required: bool) -> tuple[str, ...] | None:
        if key not in item:
            return None if required else ()
        value, line = item[key], self.line_of(item, key)
        if isinstance(value, str) and not required:
            value = [value]
        if not isinstance(value, list) or (required and not value):
            self.add(line, f"{where}.{key}", "must be a list" + (" with at least one item" if required else ""))
            return None
        out: list[str] = []
        lines = getattr(value, "item_lines", [line] * len(value))
        for i, (v, vline) in enumerate(zip(value, lines, strict=True)):
            if isinstance(v, dict):
                # `- Fees: how much?` reads as a field named "Fees", not as a phrasing holding a colon.
                self.add(vline, f"{where}.{key}[{i}]",
                         "holds ': ' (a colon and a space), so YAML reads it as a field: put the text in quotes")
            elif not isinstance(v, str | int | float) or isinstance(v, bool) or not str(v).strip():
                self.add(vline, f"{where}.{key}[{i}]", "must be non-empty text")
            else:
                out.append(str(v).strip())
        return tuple(out) if len(out) == len(value) else None

    def want_bool(self, item: Map, key: str, where: str) -> bool:
        value = item.get(key, False)
        if not isinstance(value, bool):
            self.add(self.line_of(item, key), f"{where}.{key}", "must be true or false")
            return False
        return value

    def want_time(self, item: Map, key: str, where: str, tz: ZoneInfo | None) -> datetime | None:
        if key not in item:
            return None
        value, line = item[key], self.line_of(item, key)
        parsed: datetime | None = None
        if isinstance(value, datetime):
            parsed = value
        elif isinstance(value, date):
            parsed = datetime.combine(value, time(0, 0))
        elif isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.strip())
            except ValueError:
                parsed = None
        if parsed is None:
            self.add(line, f"{where}.{key}", f"{value!r} is not a date-time like 2027-05-10T09:00:00")
            return None
        if parsed.tzinfo is not None:
            self.add(line, f"{where}.{key}", "write the venue's local time without an offset; set 'timezone' instead")
            return None
        return parsed.replace(tzinfo=tz) if tz else None
