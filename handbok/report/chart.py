"""Geometry of the trend charts: numbers in, coordinates out (the template draws the SVG)."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Chart", "line_chart"]

WIDTH, HEIGHT = 600, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 36, 12, 36


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: str  # "x,y x,y ..." for a polyline
    dots: list[tuple[float, float, str]]  # x, y, value label
    y_ticks: list[tuple[float, str]]  # y, label
    x_labels: list[tuple[float, str]]  # x, label
    baseline: float
    left: int
    right: float


def line_chart(values: list[float], labels: list[str], top: float, unit: str = "") -> Chart:
    """A line through `values` on a scale from 0 to `top` (at least 1)."""
    top = float(max(4, math.ceil(top / 4) * 4))  # whole numbers on every tick
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / (len(values) - 1) if len(values) > 1 else 0.0

    def x(i: int) -> float:
        return round(LEFT + (i * step if len(values) > 1 else inner_w / 2), 1)

    def y(v: float) -> float:
        return round(TOP + inner_h * (1 - v / top), 1)

    dots = [(x(i), y(v), f"{v:g}{unit}") for i, v in enumerate(values)]
    ticks = [(y(top * k / 4), f"{top * k / 4:g}{unit}") for k in range(5)]
    every = max(1, (len(labels) + 5) // 6)
    last = len(labels) - 1
    x_labels = [(x(i), label) for i, label in enumerate(labels)
                if i == last or (i % every == 0 and last - i >= every)]  # no two labels overlap
    return Chart(WIDTH, HEIGHT, " ".join(f"{a},{b}" for a, b, _ in dots), dots, ticks, x_labels,
                 y(0), LEFT, WIDTH - RIGHT)
