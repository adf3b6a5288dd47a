"""Slack's message text both ways: staff's words (mrkdwn, with Slack's escaping) made plain for members, and who did
something shown as Slack shows people.

Slack sends `<`, `>` and `&` typed by a person as `&lt;`, `&gt;`, `&amp;`, and writes links, mentions and dates in
angle brackets (`<https://x|label>`, `<@U123>`, `<#C1|general>`, `<!here>`, `<!date^...|fallback>`), with `*bold*`,
`_italic_`, `~strike~` and backticks for formatting (https://api.slack.com/reference/surfaces/formatting). A member
on Telegram, WeChat or the web chat must see none of that."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"<([^<>\n]*)>")
_ENTITY = re.compile(r"&(lt|gt|amp);")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&"}
_FENCE = re.compile(r"```\n?(.*?)\n?```", re.S)
_CODE = re.compile(r"`([^`\n]+)`")
# *bold*, _italic_, ~strike~: markers not inside a Latin word or number, around text that neither starts nor ends
# with a space (so 2*3*4 and snake_case_names stay as they are; Chinese has no spaces to mark words).
_STYLE = [re.compile(rf"(?<![A-Za-z0-9{m}]){re.escape(m)}(?=\S)([^{m}\n]+?)(?<=\S){re.escape(m)}(?![A-Za-z0-9{m}])")
          for m in "*_~"]
_USER_ID = re.compile(r"^(?:slack:)?([UW][A-Z0-9]{2,})$")


def _special(inner: str) -> str:
    """One `<...>` construct as plain text."""
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return "@" + (label or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):  # <!here>, <!subteam^S1|@team>, <!date^...|fallback>
        return label or "@" + target[1:].split("^", 1)[0]
    if target.startswith("mailto:"):
        return label or target[len("mailto:"):]
    return f"{label} ({target})" if label and label != target else target


def _styled(text: str) -> str:
    text = _FENCE.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    for style in _STYLE:
        text = style.sub(r"\1", text)
    return text


def to_plain(mrkdwn: str) -> str:
    """What a staff member wrote in Slack, as plain text for a member: links as `label (url)`, mentions as
    `@name`, formatting marks dropped, Slack's escapes undone (last, so an escaped `&lt;b&gt;` stays `<b>`)."""
    parts = _SPECIAL.split(mrkdwn)  # even indexes: text; odd: the inside of a <...> construct
    plain = "".join(_styled(p) if i % 2 == 0 else _special(p) for i, p in enumerate(parts))
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], plain)


def escape(text: str) -> str:
    """Slack mrkdwn control characters, so a member's "<!channel>" stays text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(staff: str | None) -> str:
    """Who did something, for a Slack message: a Slack user (`U123` or `slack:U123`) as a mention Slack renders,
    anyone else (`cli:amy`, `dashboard:amy`) as escaped text."""
    if not staff:
        return "someone"
    found = _USER_ID.match(staff)
    return f"<@{found.group(1)}>" if found else escape(staff)
