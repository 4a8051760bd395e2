"""The app's icons: the Followthrough mark, drawn with Pillow.

The mark is a white arrow curving back around an amber dot (the person you follow through with),
on deep teal. Each icon is drawn at 4x its size and shrunk with a box filter, which averages
every 4x4 block: that is the antialiasing, and it leaves the flat background exactly teal.
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass

from PIL import Image, ImageDraw

TEAL = (0x0F, 0x52, 0x57)
WHITE = (0xFF, 0xFF, 0xFF)
AMBER = (0xF2, 0xB8, 0x4B)
SUPERSAMPLE = 4


@dataclass(frozen=True)
class Icon:
    """A generated PNG: the mark on a rounded square, or full-bleed for maskable/Apple icons."""

    path: str
    size: int
    purpose: str | None  # the manifest's purpose; None when the manifest does not list it
    full_bleed: bool = False  # opaque square; the platform rounds or masks it
    mark_scale: float = 1.0


ICONS = (
    Icon("icons/icon-192.png", 192, "any"),
    Icon("icons/icon-512.png", 512, "any"),
    # Maskable: the platform may crop to a circle of 80% diameter; the mark stays inside it.
    Icon("icons/maskable-512.png", 512, "maskable", full_bleed=True, mark_scale=0.85),
    Icon("icons/apple-touch-icon.png", 180, None, full_bleed=True, mark_scale=0.9),
    Icon("icons/icon-96.png", 96, None),  # the shortcuts' icon
    Icon("icons/favicon-32.png", 32, None, mark_scale=1.05),
)
SHORTCUT_ICON = "icons/icon-96.png"

Point = tuple[float, float]


def _disc(draw: ImageDraw.ImageDraw, centre: Point, radius: float, fill: tuple[int, ...]) -> None:
    x, y = centre
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)


@functools.cache  # pure: drawn once per process
def render_icon(icon: Icon) -> bytes:
    """The icon as a PNG: RGB when full-bleed, else RGBA with transparent rounded corners."""
    size = icon.size * SUPERSAMPLE
    centre = size / 2
    unit = size * icon.mark_scale
    radius, width, dot = 0.25 * unit, 0.09 * unit, 0.085 * unit
    start, end = -50.0, 248.0  # degrees, clockwise from 3 o'clock (image coordinates)
    head_length, head_half = 0.18 * unit, 0.125 * unit

    def on_ring(degrees: float) -> Point:
        angle = math.radians(degrees)
        return centre + radius * math.cos(angle), centre + radius * math.sin(angle)

    if icon.full_bleed:
        image = Image.new("RGB", (size, size), TEAL)
    else:
        image = Image.new("RGBA", (size, size), (*TEAL, 0))
    draw = ImageDraw.Draw(image)
    if not icon.full_bleed:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=0.22 * size, fill=(*TEAL, 255))

    # The ring, with round caps.
    outer = radius + width / 2
    box = (centre - outer, centre - outer, centre + outer, centre + outer)
    draw.arc(box, start, end, fill=WHITE, width=round(width))
    for degrees in (start, end):
        _disc(draw, on_ring(degrees), width / 2, WHITE)

    # The arrowhead at the end of the ring, turned slightly along it.
    ex, ey = on_ring(end)
    heading = math.radians(end) + 0.12 * head_length / radius
    tx, ty = -math.sin(heading), math.cos(heading)
    head = [
        (ex + tx * head_length, ey + ty * head_length),
        (ex - ty * head_half, ey + tx * head_half),
        (ex + ty * head_half, ey - tx * head_half),
    ]
    draw.polygon(head, fill=WHITE)

    _disc(draw, (centre, centre), dot, AMBER)

    small = image.resize((icon.size, icon.size), Image.Resampling.BOX)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", compress_level=9)
    return buffer.getvalue()
