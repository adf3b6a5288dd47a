"""The dependency rule, read from the code's own imports (every import, including those inside functions and under
TYPE_CHECKING): app -> channels -> engine -> handlers -> the handler contract -> desk/understanding -> storage, with
the shared vocabulary (messages, state, i18n, ports) below them all. Nothing imports a layer above its own."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Highest first; a module may import its own layer and those below it.
LAYERS: dict[str, tuple[str, ...]] = {
    "app": ("bot.app",),
    "channels": ("bot.channels",),
    "engine": ("bot.engine",),
    "handlers": ("handlers",),
    "contract": ("bot.router", "bot.turn"),  # what a handler is and what it sees
    "domain": ("bot.desk", "bot.understanding"),
    "storage": ("bot.storage",),
    "vocabulary": ("bot.messages", "bot.state", "bot.i18n", "bot.ports"),
}
RANK = {layer: n for n, layer in enumerate(reversed(LAYERS))}
# Adapters translate only: they reach the domain through the engine and bot.ports, never directly.
CHANNELS_NEVER = ("domain", "storage")
PLATFORM_SDKS = ("telegram", "slack_bolt", "slack_sdk", "wechatpy")
# (importing module, imported module) pairs that break the rule and are being mended elsewhere; keep this empty.
KNOWN: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources() -> dict[str, Path]:
    files = [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("handlers").rglob("*.py")]
    return {module_name(p): p for p in files}


def imports(name: str, path: Path) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from bot.desk import tickets` imports the module bot.desk.tickets
            found.update(f"{base}.{alias.name}" for alias in node.names)
            found.add(base)
    return found


def layer_of(module: str) -> str | None:
    for layer, prefixes in LAYERS.items():
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return layer
    return None


def graph() -> dict[str, set[str]]:
    return {name: imports(name, path) for name, path in sources().items()}


def test_every_module_of_the_bot_has_a_layer() -> None:
    unplaced = sorted(name for name in sources() if layer_of(name) is None and name not in ("bot", "handlers"))
    assert unplaced == [], f"place these in LAYERS: {unplaced}"


def test_nothing_imports_a_layer_above_its_own() -> None:
    upward = []
    for name, targets in graph().items():
        mine = layer_of(name)
        for target in targets:
            theirs = layer_of(target)
            if mine and theirs and RANK[theirs] > RANK[mine] and (name, target) not in KNOWN:
                upward.append(f"{name} ({mine}) -> {target} ({theirs})")
    assert sorted(upward) == []


def test_channels_reach_the_domain_and_storage_only_through_the_engine_and_ports() -> None:
    direct = sorted(f"{name} -> {target}" for name, targets in graph().items() if layer_of(name) == "channels"
                    for target in targets if layer_of(target) in CHANNELS_NEVER and (name, target) not in KNOWN)
    assert direct == []


def test_storage_imports_no_domain() -> None:
    found = sorted(f"{name} -> {target}" for name, targets in graph().items() if layer_of(name) == "storage"
                   for target in targets if layer_of(target) not in (None, "storage", "vocabulary"))
    assert found == []


def test_handlers_and_everything_below_them_import_no_platform_sdk() -> None:
    found = sorted(f"{name} -> {target}" for name, targets in graph().items()
                   if layer_of(name) not in (None, "app", "channels", "engine")
                   for target in targets if target.split(".")[0] in PLATFORM_SDKS)
    assert found == []


def test_the_rule_is_read_from_every_kind_of_import() -> None:
    """The reader itself: relative, lazy and TYPE_CHECKING imports all count."""
    found = graph()
    assert "bot.desk.learning" in found["bot.desk.tickets"]  # inside a method
    assert "bot.understanding.knowledge_base" in found["bot.desk.tickets"]  # under TYPE_CHECKING
    assert "bot.engine" in found["bot.channels.contract"]
    assert layer_of("bot.channels.slack") == "channels" and layer_of("bot.ports") == "vocabulary"
