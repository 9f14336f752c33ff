"""Inline SVG charts, built as escaped strings (no JavaScript, no external assets).

Every piece of text from the store goes through :func:`markupsafe.escape`;
colours come from CSS classes in ``static/style.css`` (the CSP forbids inline
styles), so these functions only emit geometry and class names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup, escape

from newsfold.web.analysis import fmt_number

WIDTH = 760
LABEL_W = 190
RIGHT_PAD = 24
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _cut(text: Any, width: int) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _href(prefix: str, ident: str) -> str:
    from newsfold.web.app import quote_id

    return prefix + quote_id(ident)


class TimeScale:
    """Days to x positions between ``x0`` and ``x1``, padded so one day still shows."""

    def __init__(self, dates: Sequence[dt.date], x0: float, x1: float) -> None:
        lo, hi = min(dates), max(dates)
        pad = max(1, (hi - lo).days // 20)
        self.lo = lo - dt.timedelta(days=pad)
        self.hi = hi + dt.timedelta(days=pad)
        self.x0, self.x1 = x0, x1

    def __call__(self, day: dt.date) -> float:
        total = max(1, (self.hi - self.lo).days)
        return self.x0 + (self.x1 - self.x0) * (day - self.lo).days / total

    def ticks(self) -> list[tuple[dt.date, str]]:
        out = self._ticks()
        if out and str(out[0][0].year) not in out[0][1]:
            out[0] = (out[0][0], f"{out[0][1]}, {out[0][0].year}")
        return out

    def _ticks(self) -> list[tuple[dt.date, str]]:
        days = (self.hi - self.lo).days
        if days <= 16:
            step = 1 if days <= 8 else 2
            out, day = [], self.lo
            while day <= self.hi:
                out.append((day, f"{MONTHS[day.month - 1]} {day.day}"))
                day += dt.timedelta(days=step)
            return out
        if days <= 120:
            day = self.lo + dt.timedelta(days=(7 - self.lo.weekday()) % 7)  # Mondays
            step = 7 if days <= 60 else 14
            out = []
            while day <= self.hi:
                out.append((day, f"{MONTHS[day.month - 1]} {day.day}"))
                day += dt.timedelta(days=step)
            return out
        step = next((m for m in (1, 2, 3, 6, 12, 24, 60) if days / 30.4 / m <= 9), 120)
        out = []
        index = self.lo.year * 12 + self.lo.month  # the first of the next month
        index += (-index) % step if step > 1 else 0  # whole quarters, halves, years
        while True:
            year, month = divmod(index, 12)
            day = dt.date(year, month + 1, 1)
            if day > self.hi:
                break
            label = MONTHS[month] + (f" {year}" if month == 0 or not out else "")
            out.append((day, str(year) if step >= 12 else label))
            index += step
        return out


def _axis(scale: TimeScale, top: float, bottom: float) -> list[str]:
    parts = []
    for day, label in scale.ticks():
        x = scale(day)
        parts.append(
            f'<line class="grid" x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}"/>'
            f'<text class="tick" x="{x:.1f}" y="{bottom + 14:.1f}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    return parts


def _svg(height: float, label: str, parts: Sequence[str], css: str) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
    )
    return Markup(head + "".join(parts) + "</svg>")


# ------------------------------------------------------------------ event timeline


def outlet_timeline(articles: Sequence[dict[str, Any]]) -> Markup | None:
    """When each outlet reported the event: one row per outlet, a dot per article.

    Filled dots are originals, rings are copies; undated articles are counted
    below the chart. None when no article is dated."""
    dated = [(a, _date(a.get("published"))) for a in articles]
    points = [(a, d) for a, d in dated if d is not None]
    if not points:
        return None
    undated = len(dated) - len(points)
    outlets: dict[str, list[tuple[dict[str, Any], dt.date]]] = {}
    for art, day in sorted(points, key=lambda p: (p[1], str(p[0].get("source") or ""))):
        outlets.setdefault(str(art.get("source") or "unknown outlet"), []).append((art, day))
    row_h, top = 24, 12
    bottom = top + row_h * len(outlets)
    scale = TimeScale([d for _, d in points], LABEL_W, WIDTH - RIGHT_PAD)
    parts = _axis(scale, top - 6, bottom)
    for row, (outlet, items) in enumerate(outlets.items()):
        y = top + row_h * row + row_h / 2
        parts.append(
            f'<text class="label" x="{LABEL_W - 10}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_cut(outlet, 26))}</text>"
            f'<line class="lane" x1="{LABEL_W}" y1="{y:.1f}" x2="{WIDTH - RIGHT_PAD}" '
            f'y2="{y:.1f}"/>'
        )
        per_day: dict[dt.date, int] = {}
        for art, day in items:
            nth = per_day.get(day, 0)
            per_day[day] = nth + 1
            x = scale(day) + nth * 7
            css = "dot copy" if art.get("duplicate_of") else "dot"
            tip = f"{outlet}, {day.isoformat()}: {_cut(art.get('title'), 90)}"
            if art.get("duplicate_of"):
                tip += " (copy)"
            parts.append(
                f'<a href="{escape(_href("/articles/", str(art["id"])))}">'
                f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="5.5">'
                f"<title>{escape(tip)}</title></circle></a>"
            )
    height = bottom + 24
    if undated:
        parts.append(
            f'<text class="note" x="{LABEL_W}" y="{height + 4:.0f}">'
            f"{undated} undated article(s) not shown</text>"
        )
        height += 16
    label = f"When each of {len(outlets)} outlet(s) reported it"
    return _svg(height, label, parts, "timeline")


# ------------------------------------------------------------------ storyline chart


def storyline_chart(
    events: Sequence[dict[str, Any]], series: Sequence[dict[str, Any]]
) -> Markup | None:
    """A storyline over time: one row per event (a bar from its first to last
    report, a dot sized by articles), then one panel per key number with its
    value at each event, all on the same time axis. None when nothing is dated."""
    dated = [(e, _date(e.get("first_date")), _date(e.get("last_date"))) for e in events]
    rows = [(e, f, la or f) for e, f, la in dated if f is not None]
    if not rows:
        return None
    all_days = [f for _, f, _ in rows] + [la for _, _, la in rows if la]
    scale = TimeScale(all_days, LABEL_W, WIDTH - RIGHT_PAD)
    row_h, top = 26, 14
    events_bottom = top + row_h * len(rows)
    panel_h, panel_gap = 86, 22
    plot_bottom = events_bottom + 8 + len(series) * (panel_h + panel_gap)
    height = plot_bottom + 20  # tick labels
    parts = _axis(scale, top - 8, plot_bottom)
    biggest = max(int(e.get("articles") or 1) for e, _, _ in rows)
    for i, (ev, first, last) in enumerate(rows):
        y = top + row_h * i + row_h / 2
        x0, x1 = scale(first), scale(last or first)
        radius = 4 + 7 * ((int(ev.get("articles") or 1) / biggest) ** 0.5)
        tip = (
            f"{_cut(ev.get('title'), 90)} ({first.isoformat()}"
            f"{' – ' + last.isoformat() if last and last != first else ''}, "
            f"{ev.get('articles')} article(s), {ev.get('outlets')} outlet(s))"
        )
        parts.append(
            f'<a href="{escape(_href("/events/", str(ev["id"])))}">'
            f'<text class="label" x="{LABEL_W - 10}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_cut(ev.get('title'), 28))}</text>"
            f'<rect class="span" x="{x0:.1f}" y="{y - 3:.1f}" width="{max(2.0, x1 - x0):.1f}" '
            f'height="6" rx="3"/>'
            f'<circle class="event" cx="{x0:.1f}" cy="{y:.1f}" r="{radius:.1f}">'
            f"<title>{escape(tip)}</title></circle></a>"
        )
    y = events_bottom + 8
    for item in series:
        parts += _panel(item, scale, y, panel_h)
        y += panel_h + panel_gap
    label = f"Timeline of {len(rows)} event(s)" + (
        f" and {len(series)} key number(s)" if series else ""
    )
    return _svg(height, label, parts, "storyline")


def _panel(
    item: dict[str, Any], scale: Callable[[dt.date], float], top: float, height: float
) -> list[str]:
    points: list[tuple[dict[str, Any], dt.date]] = []
    for point in item.get("points") or []:
        day = _date(point.get("date"))
        if day is not None:
            points.append((point, day))
    thing = str(item.get("thing") or "?")
    parts = [
        f'<rect class="panel" x="{LABEL_W}" y="{top:.1f}" width="{WIDTH - RIGHT_PAD - LABEL_W}" '
        f'height="{height:.1f}"/>'
        f'<text class="label thing" x="{LABEL_W - 10}" y="{top + height / 2 + 4:.1f}" '
        f'text-anchor="end">{escape(_cut(thing.replace("_", " "), 26))}</text>'
    ]
    if not points:
        return parts
    values = [float(p["value"]) for p, _ in points]
    high = max([*values, 0.0]) or 1.0
    low = min([*values, 0.0])

    def y_of(v: float) -> float:
        return top + height - 14 - (height - 30) * (v - low) / ((high - low) or 1.0)

    coords = [(scale(d), y_of(float(p["value"])), p) for p, d in points]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
        parts.append(f'<polyline class="series" points="{path}"/>')
    for x, y, p in coords:
        css = "point conflict" if p.get("conflict") else "point"
        if p.get("modality") == "forecast":
            css += " forecast"
        tip = (
            f"{thing}: {fmt_number(p['value'])} ({p.get('modality') or 'fact'}, "
            f"{p.get('origins')} origin(s)) on {p.get('date')}: {_cut(p.get('title'), 70)}"
        )
        if p.get("conflict"):
            tip += f"; conflict: {p.get('conflict')}"
        parts.append(
            f'<a href="{escape(_href("/events/", str(p.get("event"))))}">'
            f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="5">'
            f"<title>{escape(tip)}</title></circle>"
            f'<text class="value" x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle">'
            f"{escape(p.get('label') or fmt_number(p['value']))}</text></a>"
        )
    return parts
