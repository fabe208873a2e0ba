"""Line charts drawn on the server as SVG (served with the page: no script, no CDN).

``line_chart`` draws a few series over the years with a labelled axis, a legend and a ``<title>``
on every point (the value shows on hover and is read by screen readers); the numbers are also
given in a table under each chart.  The legend is HTML beside the drawing (``legend``), so it
stays readable when a phone shrinks the drawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

#: colours that stay apart for the common kinds of colour blindness (Okabe–Ito)
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


def nice_max(value: float) -> int:
    """The smallest round number (1, 2, 2.5, 5 × 10ⁿ) at or above ``value``."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return int(top) if top == int(top) else int(top) + 1
    return 10 * magnitude


def line_chart(title: str, years: Sequence[int], series: Sequence[tuple[str, Sequence[int | None]]],
               *, width: int = 520, height: int = 260) -> str:
    """An SVG line chart; a gap where a year has no value."""
    left, right, top, bottom = 52, 12, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, vs in series for v in vs if v is not None]
    ymax = nice_max(max(values, default=0))
    n = len(years)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n if n else 0)

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / ymax

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(title)}" class="chart">']
    for k in range(5):  # grid lines and the value axis
        level = ymax * k / 4
        label = f"{level:,.0f}" if level == int(level) else f"{level:,.1f}"
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(level):.1f}" y2="{y(level):.1f}" '
                   f'class="grid-line"/><text x="{left - 6}" y="{y(level) + 4:.1f}" text-anchor="end" '
                   f'class="tick">{label}</text>')
    for i, year in enumerate(years):
        out.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 20}" text-anchor="middle" class="tick">{year}</text>')
    for s, (label, vs) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        segment: list[str] = []
        paths: list[list[str]] = []
        for i, v in enumerate(vs):
            if v is None:
                if segment:
                    paths.append(segment)
                segment = []
                continue
            segment.append(f"{x(i):.1f},{y(v):.1f}")
        if segment:
            paths.append(segment)
        for seg in paths:
            out.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for i, v in enumerate(vs):
            if v is not None:
                out.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="{colour}">'
                           f"<title>{escape(label)} {years[i]}年度：{v:,}</title></circle>")
    out.append("</svg>")
    return "".join(out)


def legend(series: Sequence[tuple[str, object]]) -> list[tuple[str, str]]:
    """(label, colour) of each series, in the colours ``line_chart`` draws them."""
    return [(label, COLOURS[i % len(COLOURS)]) for i, (label, _) in enumerate(series)]
