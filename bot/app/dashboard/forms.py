"""Form pieces shared by the editing pages: labelled fields with their errors beside them, the hidden CSRF field,
and the knowledge checks' problems turned into errors per form field. No script: plain HTML forms."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from starlette.datastructures import FormData

from bot.understanding.knowledge_yaml import Problem
from bot.understanding.text import has_cjk

Errors = dict[str, list[str]]
# "entry 'founding'.answer.en" -> "answer.en"; "event.ends" -> "ends"; "entry.questions[0]" -> "questions"
_FIELD = re.compile(r"^(?:entry|event)(?: '[^']*')?\.([a-z_]+)(?:\[\d+\])?(?:\.([a-z]+))?")


def csrf_field(csrf: str) -> str:
    return f'<input type="hidden" name="csrf" value="{escape(csrf)}">'


def lines(raw: str) -> list[str]:
    """A multi-line field: one item per line, blank lines dropped."""
    return [" ".join(line.split()) for line in raw.splitlines() if line.strip()]


def items(raw: str) -> list[str]:
    """A list typed on one line: separated by commas, Chinese commas (，) or enumeration commas (、)."""
    return [part.strip() for part in re.split(r"[,，、]", raw) if part.strip()]


def get(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def by_language(items: Iterable[str]) -> tuple[list[str], list[str]]:
    """Questions split for the form's two boxes: those with Chinese characters, and the others."""
    items = list(items)
    return [q for q in items if not has_cjk(q)], [q for q in items if has_cjk(q)]


def problems_to_errors(problems: Iterable[Problem], first: dict[str, str]) -> Errors:
    """Each problem beside the form field it is about: `first` names the field of a multi-language one
    (questions -> questions_en); a language map's own language goes to that language's field."""
    errors: Errors = {}
    for p in problems:
        m = _FIELD.match(p.field)
        if m is None:
            errors.setdefault("_", []).append(p.message)
            continue
        key, lang = m.group(1), m.group(2)
        name = f"{key}_{lang}" if lang in ("en", "zh") else first.get(key, key)
        errors.setdefault(name, []).append(p.message)
    return errors


def _errors(errors: Errors, name: str) -> str:
    return "".join(f'<p class="err" id="err-{name}">{escape(e)}</p>' for e in errors.get(name, []))


def text_field(name: str, label: str, value: str, errors: Errors, hint: str = "", kind: str = "text") -> str:
    return (f'<label class="f">{escape(label)}{f" <small>{escape(hint)}</small>" if hint else ""}'
            f'<input type="{kind}" name="{name}" value="{escape(value)}"></label>{_errors(errors, name)}')


def area(name: str, label: str, value: str, errors: Errors, hint: str = "", rows: int = 3) -> str:
    return (f'<label class="f">{escape(label)}{f" <small>{escape(hint)}</small>" if hint else ""}'
            f'<textarea name="{name}" rows="{rows}">{escape(value)}</textarea></label>{_errors(errors, name)}')


def checkbox(name: str, label: str, checked: bool, errors: Errors) -> str:
    return (f'<label class="c"><input type="checkbox" name="{name}" value="on"{" checked" if checked else ""}> '
            f'{escape(label)}</label>{_errors(errors, name)}')


def general(errors: Errors) -> str:
    return _errors(errors, "_")
