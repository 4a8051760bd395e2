"""buildtool/icons.py: the icons Pillow draws, at their declared sizes and safe zones."""

from __future__ import annotations

import pytest

from buildtool.icons import ICONS, TEAL, render_icon

from .conftest import read_png


@pytest.mark.parametrize("icon", ICONS, ids=lambda icon: icon.path)
def test_icons_are_valid_pngs_of_their_declared_size(icon):
    width, height, channels, _ = read_png(render_icon(icon))

    assert (width, height) == (icon.size, icon.size)
    assert channels == (3 if icon.full_bleed else 4)


def test_icons_are_the_same_bytes_every_time():
    drawn_again = [render_icon.__wrapped__(i) for i in ICONS]  # past the per-process cache

    assert [render_icon(i) for i in ICONS] == drawn_again


def test_the_maskable_icon_keeps_its_mark_inside_the_central_80_percent():
    icon = next(icon for icon in ICONS if icon.purpose == "maskable")
    size, _, channels, pixels = read_png(render_icon(icon))
    background = bytes(TEAL)

    outside = [
        (x, y)
        for y in range(size)
        for x in range(size)
        if (x + 0.5 - size / 2) ** 2 + (y + 0.5 - size / 2) ** 2 > (0.4 * size) ** 2
        and pixels[(y * size + x) * channels : (y * size + x) * channels + 3] != background
    ]
    assert outside == []


def test_the_rounded_icons_have_transparent_corners_and_an_opaque_middle():
    icon = next(icon for icon in ICONS if icon.path == "icons/icon-192.png")
    size, _, _, pixels = read_png(render_icon(icon))

    assert pixels[3] == 0  # top-left corner
    assert pixels[((size // 2) * size + 2) * 4 + 3] == 255  # middle of the left edge
