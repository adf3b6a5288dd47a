"""Charts for the staff dashboard as server-side SVG: no script, no build step, nothing fetched by the browser.
Text in the SVG is escaped; colours come from one palette so a series keeps its colour across charts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

PALETTE = ("#2f6fde", "#e8833a", "#3aa55d", "#c94a4a", "#8a5cd0", "#6b7785", "#d4b02a", "#2ab3c0")
FONT = 'font-family="system-ui, \'Noto Sans CJK SC\', sans-serif" font-size="11"'


def _legend(names: Sequence[str], y: int) -> str:
    parts, x = [], 40
    for i, name in enumerate(names):
        parts.append(f'<rect x="{x}" y="{y}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
                     f'<text x="{x + 14}" y="{y + 9}" {FONT}>{escape(name)}</text>')
        x += 24 + 7 * len(name) + (7 * sum(1 for c in name if ord(c) > 0x2e80))
    return "".join(parts)


def stacked_bars(title: str, days: Sequence[str], series: Mapping[str, Sequence[float]], percent: bool = False,
                 width: int = 640, height: int = 240) -> str:
    """Bars per day, one segment per series; `percent`: each day's bar is its shares (days without data empty)."""
    names = list(series)
    totals = [sum(series[n][i] for n in names) for i in range(len(days))]
    top = 1.0 if percent else max([*totals, 1])
    left, bottom, plot_h = 40, height - 40, height - 80
    step = (width - left - 10) / max(len(days), 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(title)}" class="chart">',
           f'<text x="{left}" y="16" {FONT} font-weight="bold">{escape(title)}</text>']
    for frac in (0, 0.5, 1):
        y = bottom - plot_h * frac
        label = f"{int(frac * 100)}%" if percent else f"{top * frac:g}"
        out.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                   f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" {FONT}>{label}</text>')
    for i, day in enumerate(days):
        x = left + i * step + step * 0.15
        y = float(bottom)
        for j, name in enumerate(names):
            value = series[name][i]
            share = (value / totals[i] if totals[i] else 0.0) if percent else value / top
            h = plot_h * share
            if h > 0:
                y -= h
                out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" '
                           f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(name)} {escape(day)}: '
                           f'{value:g}</title></rect>')
        if len(days) <= 16 or i % max(1, len(days) // 8) == 0:
            out.append(f'<text x="{x + step * 0.35:.1f}" y="{bottom + 14}" text-anchor="middle" {FONT}>'
                       f'{escape(day[5:])}</text>')
    out.append(_legend(names, height - 16))
    out.append("</svg>")
    return "".join(out)


def capacity_bars(title: str, rows: Sequence[tuple[str, int, int, int | None]], width: int = 640) -> str:
    """One bar per event: confirmed and waitlisted against its capacity (a line; none when unlimited)."""
    height = 50 + 26 * max(len(rows), 1)
    label_w, right = 230, 60
    plot_w = width - label_w - right
    top = max([max(c + w, cap or 0) for _, c, w, cap in rows] + [1])
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(title)}" class="chart">',
           f'<text x="10" y="16" {FONT} font-weight="bold">{escape(title)}</text>']
    for i, (name, confirmed, waitlisted, capacity) in enumerate(rows):
        y = 30 + 26 * i
        short = name if len(name) <= 34 else name[:33] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" {FONT}>{escape(short)}</text>')
        cw, ww = plot_w * confirmed / top, plot_w * waitlisted / top
        if capacity:  # the seats as a pale bar, so an empty event still shows its size
            out.append(f'<rect x="{label_w}" y="{y}" width="{plot_w * capacity / top:.1f}" height="18" '
                       f'fill="#e6ebf2"/>')
        out.append(f'<rect x="{label_w}" y="{y}" width="{cw:.1f}" height="18" fill="{PALETTE[0]}"/>'
                   f'<rect x="{label_w + cw:.1f}" y="{y}" width="{ww:.1f}" height="18" fill="{PALETTE[1]}"/>')
        if capacity:
            cx = label_w + plot_w * capacity / top
            out.append(f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y - 3}" y2="{y + 21}" stroke="#c94a4a" '
                       f'stroke-width="2"/>')
        out.append(f'<text x="{label_w + cw + ww + 4:.1f}" y="{y + 13}" {FONT}>{confirmed}'
                   f'{f" +{waitlisted}" if waitlisted else ""} / {capacity if capacity else "∞"}</text>')
    out.append("</svg>")
    return "".join(out)
