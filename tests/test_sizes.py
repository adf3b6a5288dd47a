"""Sizes the next reader can hold in their head: no function or method over 60 lines, no module over 400 lines
(migrations aside, which are generated and never edited once released)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "bench")
MAX_FUNCTION = 60
MAX_MODULE = 400


def _modules() -> list[Path]:
    return [p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py")) if "migrations" not in p.parts]


def test_no_function_over_60_lines() -> None:
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_FUNCTION:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({size} lines)")
    assert long == []


def test_no_module_over_400_lines() -> None:
    big = [f"{p.relative_to(ROOT)} ({n} lines)" for p in _modules()
           if (n := p.read_text(encoding="utf-8").count("\n")) > MAX_MODULE]
    assert big == []
