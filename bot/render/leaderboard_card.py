"""The leaderboard as a picture: places, names, points and bars, readable on a phone.

Drawn with the font Pillow ships. Names in scripts that font lacks come out as boxes rather
than failing, and every name is cut to a width that fits.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

WIDTH = 800
ROW = 64
TOP = 96
BOTTOM = 28
SIDE = 28
NAME_WIDTH = 300
BACKGROUND = (43, 45, 49)
TEXT = (242, 243, 245)
MUTED = (181, 186, 193)
BAR = (88, 101, 242)
MEDALS = {1: (240, 190, 60), 2: (192, 198, 206), 3: (205, 127, 50)}


@dataclass(frozen=True)
class CardRow:
    rank: int
    name: str
    points: int


def fit_text(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    width: int,
) -> str:
    text = " ".join(text.split())  # no line breaks or tabs in a name
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def render_leaderboard_card(title: str, rows: list[CardRow]) -> bytes:
    height = TOP + max(len(rows), 1) * ROW + BOTTOM
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    title_font = ImageFont.load_default(size=34)
    font = ImageFont.load_default(size=28)
    draw.text(
        (SIDE, 28), fit_text(draw, title, title_font, WIDTH - 2 * SIDE), font=title_font, fill=TEXT
    )
    if not rows:
        draw.text(
            (SIDE, TOP + 16), "No points yet. Check in to get on the board!", font=font, fill=MUTED
        )
    best = max((row.points for row in rows), default=1) or 1
    bar_left = SIDE + 70 + NAME_WIDTH + 16
    bar_room = WIDTH - SIDE - bar_left - 90
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        middle = y + ROW // 2
        place_colour = MEDALS.get(row.rank, MUTED)
        draw.text((SIDE, middle), f"{row.rank}.", font=font, fill=place_colour, anchor="lm")
        name = fit_text(draw, row.name, font, NAME_WIDTH)
        draw.text((SIDE + 70, middle), name, font=font, fill=TEXT, anchor="lm")
        length = max(6, int(bar_room * row.points / best))
        draw.rounded_rectangle(
            (bar_left, middle - 14, bar_left + length, middle + 14), radius=8, fill=BAR
        )
        draw.text(
            (bar_left + length + 12, middle), str(row.points), font=font, fill=TEXT, anchor="lm"
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
