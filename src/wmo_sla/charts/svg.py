# SPDX-License-Identifier: EUPL-1.2
"""Shared basics for server-rendered SVG charts: scales, nice ticks, axes, legend, the wrapper.

Pure Python (no Django, no ORM), mypy strict. Everything a chart draws is a string of SVG markup;
all text goes through :func:`esc` / :func:`attrs`, so callers may mark the result safe. Presentation
is set with inline attributes (fill, stroke, font-family, font-size), never with external CSS, so a
chart renders the same in a browser and in WeasyPrint (PDF). The CSS in ``static/wmo_sla/app.css``
only adds focus/hover niceties.

Colours are chosen for contrast on white: text and points ≥ 4.5:1, lines and grid ≥ 3:1 except the
light grid, which is decoration only. Charts never rely on colour alone: limits differ in dash
pattern, points in shape, and every chart is followed by a data table on the page.

Typical use::

    frame = Frame(width=640, height=360, left=64, bottom=48)
    x = LinearScale.nice(0, max_n, (frame.plot_left, frame.plot_right))
    y = LinearScale.nice(0, max_value, (frame.plot_bottom, frame.plot_top))
    body = [
        y_axis(y, frame, fmt=lambda v: nl_percent(v), label="Aandeel"),
        x_axis(x, frame, fmt=nl_number, label="Aantal (n)"),
        polyline([(x(a), y(b)) for a, b in points], stroke=COLORS["primary"]),
    ]
    markup = svg_document(frame=frame, title="…", desc="…", body=body, id_prefix="funnel-k1")
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol
from xml.sax.saxutils import escape

FONT_FAMILY = "Arial, Helvetica, 'Liberation Sans', sans-serif"
FONT_SIZE = 12

#: Named colours; contrast ratios against white in the comments.
COLORS: dict[str, str] = {
    "text": "#1a1a1a",  # 17.4:1
    "muted": "#595959",  # 7.0:1
    "axis": "#4d4d4d",  # 8.5:1
    "grid": "#e0e0e0",  # decoration only
    "primary": "#01689b",  # 5.9:1 (Rijksoverheid hemelblauw, dark)
    "secondary": "#5b2c83",  # 9.6:1 (violet)
    "norm": "#1a1a1a",  # 17.4:1
    "let_op": "#8a4b00",  # 6.4:1 (dark orange) — 95 % limits and "let op" points
    "signaal": "#a50e0e",  # 7.9:1 (dark red) — 99,8 % limits and "signaal" points
    "ok": "#275937",  # 8.3:1 (dark green)
    "band": "#f2f2f2",  # background bands
}

#: Dash patterns, so lines differ by more than colour.
DASHES: dict[str, str | None] = {
    "solid": None,
    "dashed": "6 4",
    "dotted": "2 3",
    "dashdot": "8 3 2 3",
}


# --- Numbers -----------------------------------------------------------------------------------


def nl_number(value: float, decimals: int = 0) -> str:
    """Dutch notation: ``1234.5`` → ``"1.234,5"`` (thousands with a dot, decimals with a comma)."""
    if not math.isfinite(value):
        return "–"
    text = f"{value:,.{max(decimals, 0)}f}"
    if text.startswith("-") and float(text[1:].replace(",", "")) == 0:
        text = text[1:]  # no "-0,0"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def nl_percent(share: float, decimals: int = 0) -> str:
    """A share (0–1) as a Dutch percentage: ``0.125`` → ``"12,5 %"`` with ``decimals=1``."""
    return f"{nl_number(100 * share, decimals)} %"


def decimals_for_step(step: float) -> int:
    """How many decimals tick labels need so that ticks ``step`` apart read differently."""
    if step <= 0 or not math.isfinite(step):
        return 0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    # 0.25 needs two decimals, 0.5 one: add one when the step is not a whole multiple.
    if abs(round(step * 10**decimals) - step * 10**decimals) > 1e-9:
        decimals += 1
    return decimals


def tick_formatter(ticks: Sequence[float], *, percent: bool = False) -> Callable[[float], str]:
    """A formatter with just enough decimals for ``ticks`` (percent: ticks are shares 0–1)."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    if percent:
        decimals = decimals_for_step(100 * step)
        return lambda v: nl_percent(v, decimals)
    decimals = decimals_for_step(step)
    return lambda v: nl_number(v, decimals)


def nice_number(value: float, *, round_: bool) -> float:
    """Heckbert's nice number: 1, 2, 5 or 10 times a power of ten near ``value``."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    exponent = math.floor(math.log10(value))
    fraction = value / 10**exponent
    if round_:
        nice = 1.0 if fraction < 1.5 else 2.0 if fraction < 3 else 5.0 if fraction < 7 else 10.0
    else:
        nice = 1.0 if fraction <= 1 else 2.0 if fraction <= 2 else 5.0 if fraction <= 5 else 10.0
    return nice * 10.0**exponent


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About ``count`` evenly spaced round tick values; the first ≤ ``lo``, the last ≥ ``hi``."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0, 1.0]
    if lo > hi:
        lo, hi = hi, lo
    if lo == hi:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    step = nice_number(nice_number(hi - lo, round_=False) / max(count - 1, 1), round_=True)
    start = math.floor(lo / step + 1e-9) * step
    end = math.ceil(hi / step - 1e-9) * step
    n_steps = round((end - start) / step)
    decimals = decimals_for_step(step) + 2
    return [round(start + i * step, decimals) + 0.0 for i in range(n_steps + 1)]


# --- Scales ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinearScale:
    """Maps ``domain`` (data) linearly onto ``range`` (pixels). A y-range runs bottom → top."""

    domain: tuple[float, float]
    range: tuple[float, float]

    def __call__(self, value: float) -> float:
        d0, d1 = self.domain
        r0, r1 = self.range
        if d1 == d0:
            return (r0 + r1) / 2
        return r0 + (value - d0) * (r1 - r0) / (d1 - d0)

    def clamped(self, value: float) -> float:
        """Like calling the scale, but values outside the domain land on its edge."""
        d0, d1 = sorted(self.domain)
        return self(min(max(value, d0), d1))

    def ticks(self, count: int = 5) -> list[float]:
        """Nice ticks that lie inside the domain."""
        d0, d1 = sorted(self.domain)
        eps = (d1 - d0) * 1e-9
        return [t for t in nice_ticks(d0, d1, count) if d0 - eps <= t <= d1 + eps]

    @classmethod
    def nice(
        cls,
        lo: float,
        hi: float,
        range_: tuple[float, float],
        *,
        count: int = 5,
        include_zero: bool = False,
    ) -> LinearScale:
        """A scale whose domain is widened to nice tick values around ``lo``..``hi``."""
        if include_zero:
            lo, hi = min(lo, 0.0), max(hi, 0.0)
        ticks = nice_ticks(lo, hi, count)
        return cls((ticks[0], ticks[-1]), range_)


@dataclass(frozen=True)
class LogScale:
    """Maps a positive ``domain`` logarithmically onto ``range`` (e.g. n from 5 to 5 000)."""

    domain: tuple[float, float]
    range: tuple[float, float]

    def __call__(self, value: float) -> float:
        d0, d1 = (math.log10(max(d, 1e-12)) for d in self.domain)
        r0, r1 = self.range
        if d1 == d0:
            return (r0 + r1) / 2
        return r0 + (math.log10(max(value, 1e-12)) - d0) * (r1 - r0) / (d1 - d0)

    def clamped(self, value: float) -> float:
        d0, d1 = sorted(self.domain)
        return self(min(max(value, d0), d1))

    def ticks(self, count: int = 8) -> list[float]:
        """1-2-5 ticks inside the domain (only powers of ten when that already gives enough)."""
        d0, d1 = sorted(self.domain)
        lo_exp, hi_exp = math.floor(math.log10(d0)), math.ceil(math.log10(d1))
        for mantissas in ((1.0, 2.0, 5.0), (1.0,)):
            ticks = [
                m * 10.0**e
                for e in range(lo_exp, hi_exp + 1)
                for m in mantissas
                if d0 * (1 - 1e-9) <= m * 10.0**e <= d1 * (1 + 1e-9)
            ]
            if len(ticks) <= count or mantissas == (1.0,):
                return ticks
        return []  # pragma: no cover - the loop always returns

    @classmethod
    def nice(cls, lo: float, hi: float, range_: tuple[float, float]) -> LogScale:
        """A scale from the power of ten at or below ``lo`` to the one at or above ``hi``."""
        lo = max(lo, 1.0)
        hi = max(hi, lo * 10)
        return cls((10.0 ** math.floor(math.log10(lo)), 10.0 ** math.ceil(math.log10(hi))), range_)


@dataclass(frozen=True)
class BandScale:
    """Places categories in equal bands along ``range`` (for bar charts)."""

    categories: tuple[str, ...]
    range: tuple[float, float]
    padding: float = 0.2

    @property
    def step(self) -> float:
        return (self.range[1] - self.range[0]) / max(len(self.categories), 1)

    @property
    def bandwidth(self) -> float:
        return self.step * (1 - self.padding)

    def __call__(self, category: str) -> float:
        """The start of ``category``'s band (:meth:`centre` for its middle)."""
        index = self.categories.index(category)
        return self.range[0] + index * self.step + self.step * self.padding / 2

    def centre(self, category: str) -> float:
        """The middle of ``category``'s band (where a point or an axis tick goes)."""
        return self(category) + self.bandwidth / 2


Scale = LinearScale | LogScale


def value_scale(
    values: Iterable[float | None],
    range_: tuple[float, float],
    *,
    percent: bool = False,
    from_zero: bool = False,
    fmt: Callable[[float], str] | None = None,
) -> tuple[LinearScale, Callable[[float], str]]:
    """The value (y) scale of a chart and its tick formatter.

    The domain is a nice one around the finite ``values`` (0–1 when there are none); shares
    (``percent``) stay within 0–100 %; ``from_zero`` starts the axis at 0 when no value is
    negative. ``fmt`` overrides the tick formatter (default: just enough decimals).
    """
    finite = [v for v in values if v is not None and math.isfinite(v)] or [0.0, 1.0]
    lo, hi = min(finite), max(finite)
    if percent:
        lo, hi = max(0.0, lo), min(1.0, hi)
    scale = LinearScale.nice(lo, hi, range_, include_zero=from_zero and lo >= 0)
    return scale, fmt or tick_formatter(scale.ticks(), percent=percent)


@dataclass(frozen=True)
class Frame:
    """The drawing size and the margins around the plot area (room for axes and labels)."""

    width: float = 640
    height: float = 360
    top: float = 16
    right: float = 16
    bottom: float = 48
    left: float = 64

    @property
    def plot_left(self) -> float:
        return self.left

    @property
    def plot_right(self) -> float:
        return self.width - self.right

    @property
    def plot_top(self) -> float:
        return self.top

    @property
    def plot_bottom(self) -> float:
        return self.height - self.bottom

    @property
    def plot_width(self) -> float:
        return self.plot_right - self.plot_left

    @property
    def plot_height(self) -> float:
        return self.plot_bottom - self.plot_top


# --- Markup ------------------------------------------------------------------------------------


def esc(text: object) -> str:
    """Text content for SVG (``&``, ``<``, ``>`` escaped)."""
    return escape(str(text))


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def attrs(**attributes: object) -> str:
    """`` name="value"`` pairs: ``stroke_width`` → ``stroke-width``, ``class_`` → ``class``.

    ``None`` and ``False`` leave the attribute out, ``True`` writes it bare-valued (``="true"``
    is not needed in SVG, so it is written as the name itself), numbers are rounded to 0,01.
    """
    parts: list[str] = []
    for name, value in attributes.items():
        if value is None or value is False:
            continue
        key = name.rstrip("_").replace("_", "-")
        if value is True:
            text = key
        elif isinstance(value, float):
            text = _num(value)
        else:
            text = str(value)
        parts.append(f' {key}="{escape(text, {chr(34): "&quot;"})}"')
    return "".join(parts)


def element(tag: str, content: str | None = None, /, **attributes: object) -> str:
    """``<tag …/>`` or ``<tag …>content</tag>``; ``content`` must already be markup."""
    if content is None:
        return f"<{tag}{attrs(**attributes)}/>"
    return f"<{tag}{attrs(**attributes)}>{content}</{tag}>"


def title(text: str) -> str:
    """A ``<title>`` child: the tooltip on hover and the accessible name of its parent."""
    return f"<title>{esc(text)}</title>"


def group(children: Iterable[str], **attributes: object) -> str:
    return element("g", "".join(children), **attributes)


def text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: Literal["start", "middle", "end"] = "start",
    size: float = FONT_SIZE,
    fill: str = COLORS["text"],
    **extra: object,
) -> str:
    return element(
        "text",
        esc(content),
        x=float(x),
        y=float(y),
        text_anchor=anchor,
        font_size=size,
        font_family=FONT_FAMILY,
        fill=fill,
        **extra,
    )


def line(
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    *,
    stroke: str = COLORS["axis"],
    width: float = 1,
    dash: str | None = None,
    **extra: object,
) -> str:
    return element(
        "line",
        x1=float(x1),
        y1=float(y1),
        x2=float(x2),
        y2=float(y2),
        stroke=stroke,
        stroke_width=width,
        stroke_dasharray=dash,
        **extra,
    )


def hline(
    y: float,
    frame: Frame,
    *,
    stroke: str = COLORS["axis"],
    width: float = 1,
    dash: str | None = None,
) -> str:
    """A horizontal line across the plot area at ``y`` (a norm, a mean, a limit)."""
    return line(frame.plot_left, y, frame.plot_right, y, stroke=stroke, width=width, dash=dash)


def path_data(points: Sequence[tuple[float, float]]) -> str:
    """``M x y L x y …`` for ``points``; non-finite points break the line into pieces."""
    parts: list[str] = []
    pen_down = False
    for x, y in points:
        if not (math.isfinite(x) and math.isfinite(y)):
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{_num(x)} {_num(y)}")
        pen_down = True
    return " ".join(parts)


def polyline(
    points: Sequence[tuple[float, float]],
    *,
    stroke: str = COLORS["primary"],
    width: float = 2,
    dash: str | None = None,
    **extra: object,
) -> str:
    """An open line through ``points`` (as a ``<path>``, so gaps are possible)."""
    data = path_data(points)
    if not data:
        return ""
    return element(
        "path",
        d=data,
        fill="none",
        stroke=stroke,
        stroke_width=width,
        stroke_dasharray=dash,
        stroke_linejoin="round",
        **extra,
    )


def circle(cx: float, cy: float, r: float = 4, **extra: object) -> str:
    return element("circle", cx=float(cx), cy=float(cy), r=float(r), **extra)


def rect(x: float, y: float, width: float, height: float, **extra: object) -> str:
    return element(
        "rect",
        x=float(x),
        y=float(y),
        width=float(max(width, 0)),
        height=float(max(height, 0)),
        **extra,
    )


def marker(
    shape: Literal["circle", "square", "diamond", "triangle"],
    cx: float,
    cy: float,
    size: float = 5,
    **extra: object,
) -> str:
    """A point symbol; shapes let points differ by more than colour."""
    if shape == "circle":
        return circle(cx, cy, size, **extra)
    if shape == "square":
        return rect(cx - size, cy - size, 2 * size, 2 * size, **extra)
    if shape == "diamond":
        s = size * 1.3
        pts = [(cx, cy - s), (cx + s, cy), (cx, cy + s), (cx - s, cy)]
    else:
        s = size * 1.3
        pts = [(cx, cy - s), (cx + s, cy + s * 0.8), (cx - s, cy + s * 0.8)]
    return element("polygon", points=" ".join(f"{_num(x)},{_num(y)}" for x, y in pts), **extra)


# --- Axes and legend ---------------------------------------------------------------------------


def x_axis(
    scale: Scale,
    frame: Frame,
    *,
    fmt: Callable[[float], str] = nl_number,
    label: str = "",
    ticks: Sequence[float] | None = None,
    grid: bool = False,
) -> str:
    """The bottom axis: baseline, ticks with labels, optional vertical grid, axis label."""
    values = list(ticks) if ticks is not None else scale.ticks()
    y0 = frame.plot_bottom
    parts = [line(frame.plot_left, y0, frame.plot_right, y0)]
    for value in values:
        x = scale(value)
        if grid:
            parts.append(line(x, frame.plot_top, x, y0, stroke=COLORS["grid"]))
        parts.append(line(x, y0, x, y0 + 5))
        parts.append(text(x, y0 + 18, fmt(value), anchor="middle"))
    if label:
        parts.append(
            text(
                (frame.plot_left + frame.plot_right) / 2,
                frame.height - 8,
                label,
                anchor="middle",
                font_weight="bold",
            )
        )
    return group(parts, class_="chart-axis chart-axis--x", aria_hidden="true")


def y_axis(
    scale: Scale,
    frame: Frame,
    *,
    fmt: Callable[[float], str] = nl_number,
    label: str = "",
    ticks: Sequence[float] | None = None,
    grid: bool = True,
) -> str:
    """The left axis: baseline, ticks with labels, horizontal grid (default), rotated label."""
    values = list(ticks) if ticks is not None else scale.ticks()
    x0 = frame.plot_left
    parts = [line(x0, frame.plot_top, x0, frame.plot_bottom)]
    for value in values:
        y = scale(value)
        if grid:
            parts.append(line(x0, y, frame.plot_right, y, stroke=COLORS["grid"]))
        parts.append(line(x0 - 5, y, x0, y))
        parts.append(text(x0 - 8, y + 4, fmt(value), anchor="end"))
    if label:
        cy = (frame.plot_top + frame.plot_bottom) / 2
        parts.append(
            text(
                14,
                cy,
                label,
                anchor="middle",
                font_weight="bold",
                transform=f"rotate(-90 14 {_num(cy)})",
            )
        )
    return group(parts, class_="chart-axis chart-axis--y", aria_hidden="true")


def category_axis(
    scale: BandScale, frame: Frame, *, every: int = 1, size: float = FONT_SIZE
) -> str:
    """The bottom axis of a band scale: baseline, a tick and label at every ``every``-th band."""
    y0 = frame.plot_bottom
    parts = [line(frame.plot_left, y0, frame.plot_right, y0)]
    for index, category in enumerate(scale.categories):
        if index % every == 0:
            x = scale.centre(category)
            parts.append(line(x, y0, x, y0 + 5))
            parts.append(text(x, y0 + 18, category, anchor="middle", size=size))
    return group(parts, class_="chart-axis chart-axis--x", aria_hidden="true")


@dataclass(frozen=True)
class LegendItem:
    label: str
    color: str
    kind: Literal["line", "point", "rect"] = "line"
    dash: str | None = None
    shape: Literal["circle", "square", "diamond", "triangle"] = "circle"


def legend(items: Sequence[LegendItem], x: float, y: float, *, row_height: float = 18) -> str:
    """A vertical legend with its top-left corner at (x, y); swatches show dash and shape too."""
    parts: list[str] = []
    for index, item in enumerate(items):
        cy = y + index * row_height + row_height / 2
        if item.kind == "line":
            parts.append(line(x, cy, x + 24, cy, stroke=item.color, width=2, dash=item.dash))
        elif item.kind == "point":
            parts.append(marker(item.shape, x + 12, cy, 4.5, fill=item.color, stroke="#ffffff"))
        else:
            parts.append(rect(x + 4, cy - 6, 16, 12, fill=item.color))
        parts.append(text(x + 30, cy + 4, item.label))
    return group(parts, class_="chart-legend", aria_hidden="true")


def legend_height(count: int, *, row_height: float = 18) -> float:
    return count * row_height


# --- Document ----------------------------------------------------------------------------------


def svg_document(
    *,
    frame: Frame,
    title: str,
    desc: str,
    body: Iterable[str],
    id_prefix: str,
    role: Literal["img", "group", "figure"] = "img",
    css_class: str = "app-chart",
) -> str:
    """The ``<svg>`` element with an accessible name (``<title>``) and description (``<desc>``).

    Use ``role="img"`` for a static chart (one image for assistive technology; the data table
    after it carries the details). A chart with focusable points uses ``role="group"`` so that
    the points stay reachable. The SVG scales to its container width (``viewBox``) but carries
    ``width``/``height`` too, which WeasyPrint uses.
    """
    safe_id = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in id_prefix)
    title_id, desc_id = f"{safe_id}-title", f"{safe_id}-desc"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg"'
        f"{attrs(role=role, viewBox=f'0 0 {_num(frame.width)} {_num(frame.height)}')}"
        f"{attrs(width=float(frame.width), height=float(frame.height), class_=css_class)}"
        f"{attrs(aria_labelledby=title_id, aria_describedby=desc_id, id=safe_id)}"
        f"{attrs(font_family=FONT_FAMILY, font_size=FONT_SIZE, preserveAspectRatio='xMinYMin meet')}>"
    )
    return (
        f'{head}<title id="{title_id}">{esc(title)}</title>'
        f'<desc id="{desc_id}">{esc(desc)}</desc>'
        f"{rect(0, 0, frame.width, frame.height, fill='#ffffff')}"
        f"{''.join(body)}</svg>"
    )


class Captioned(Protocol):
    """A chart's labels: at least its accessible name and description."""

    @property
    def title(self) -> str: ...

    @property
    def desc(self) -> str: ...


def chart_document(
    labels: Captioned,
    frame: Frame,
    body: Iterable[str],
    legend_items: Sequence[LegendItem],
    *,
    id_prefix: str,
    kind: str,
    role: Literal["img", "group", "figure"] = "img",
) -> str:
    """A chart's :func:`svg_document` (named and described by ``labels``) with its legend right
    of the plot area. ``kind`` names the chart for CSS (``app-chart app-chart--<kind>``).
    """
    return svg_document(
        frame=frame,
        title=labels.title,
        desc=labels.desc,
        body=[*body, legend(legend_items, frame.plot_right + 14, frame.plot_top)],
        id_prefix=id_prefix,
        role=role,
        css_class=f"app-chart app-chart--{kind}",
    )
