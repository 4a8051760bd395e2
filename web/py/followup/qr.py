"""QR codes, made by `segno` (pure Python, bundled with the engine), drawn by the page as SVG.

The text is encoded as UTF-8 bytes at level M (a phone screen at arm's length), and the level is
never raised: the smallest symbol that fits is the easiest to scan.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ValidationError

QUIET_ZONE = 4  # modules of light margin around the symbol, as the standard asks


@dataclass(frozen=True, slots=True)
class QrPicture:
    version: int
    mask: int
    size: int  # modules across, without the margin
    rows: tuple[str, ...]  # "1" for a dark module, "0" for a light one

    @property
    def path(self) -> str:
        """The dark modules as SVG path data, one rectangle per run along a row, offset by the
        quiet zone (the picture is `size + 2 * QUIET_ZONE` wide)."""
        parts: list[str] = []
        for y, row in enumerate(self.rows):
            x = 0
            while x < len(row):
                if row[x] == "1":
                    end = x
                    while end + 1 < len(row) and row[end + 1] == "1":
                        end += 1
                    n = end - x + 1
                    parts.append(f"M{x + QUIET_ZONE} {y + QUIET_ZONE}h{n}v1h-{n}z")
                    x = end
                x += 1
        return "".join(parts)


def qr_code(text: str, field: str = "text") -> QrPicture:
    """The QR code of `text`, or a ValidationError when it does not fit in one (version 40)."""
    import segno  # imported on first use: the engine boots without it

    try:
        code = segno.make(
            text.encode("utf-8"), error="m", mode="byte", boost_error=False, micro=False
        )
    except segno.DataOverflowError:
        raise ValidationError(
            "too-long-for-qr", "This is too long for a QR code: shorten it.", field
        ) from None
    rows = tuple("".join("1" if bit else "0" for bit in row) for row in code.matrix)
    return QrPicture(version=int(code.version), mask=int(code.mask or 0), size=len(rows), rows=rows)


def encode_qr(picture: QrPicture) -> dict[str, object]:
    return {
        "version": picture.version,
        "mask": picture.mask,
        "size": picture.size,
        "quiet_zone": QUIET_ZONE,
        "path": picture.path,
    }
