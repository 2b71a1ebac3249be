"""A 12-week study heatmap, GitHub style: one square a day, darker green for more minutes.

Drawn with Pillow into PNG bytes (platform-neutral). Sized for a phone screen: big squares,
large labels, a dark background that sits well in Discord's default theme, and the font that
Pillow itself ships (no system fonts assumed).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from PIL import Image, ImageDraw, ImageFont

WEEKS = 12
CELL = 44
GAP = 8
LEFT = 84  # room for weekday labels
TOP = 120  # room for the title and month labels
BOTTOM = 84  # room for the legend
RIGHT = 28
BACKGROUND = (43, 45, 49)
TEXT = (242, 243, 245)
MUTED = (181, 186, 193)
TODAY_OUTLINE = (242, 243, 245)
# Level 0 (no study) to 4 (two hours or more).
LEVEL_COLOURS = ((58, 61, 68), (14, 68, 41), (0, 109, 50), (38, 166, 65), (57, 211, 83))
LEVEL_FLOORS = (0, 1, 30, 60, 120)
LEGEND = ("none", "< 30 min", "< 1 h", "< 2 h", "2 h +")
WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri", 6: "Sun"}


@dataclass(frozen=True)
class Geometry:
    width: int
    height: int

    @staticmethod
    def cell_box(week: int, weekday: int) -> tuple[int, int, int, int]:
        x = LEFT + week * (CELL + GAP)
        y = TOP + weekday * (CELL + GAP)
        return (x, y, x + CELL, y + CELL)


GEOMETRY = Geometry(
    width=LEFT + WEEKS * (CELL + GAP) - GAP + RIGHT,
    height=TOP + 7 * (CELL + GAP) - GAP + BOTTOM,
)


def level(minutes: int) -> int:
    return max(i for i, floor in enumerate(LEVEL_FLOORS) if minutes >= floor)


def first_day(today: date) -> date:
    """Monday of the first of the WEEKS weeks that end with the week containing `today`."""
    return today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS - 1)


def render_heatmap(minutes_by_day: dict[date, int], today: date) -> bytes:
    """The picture for the WEEKS weeks ending today; names stay out of it (any script is safe)."""
    image = Image.new("RGB", (GEOMETRY.width, GEOMETRY.height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    title_font = ImageFont.load_default(size=30)
    label_font = ImageFont.load_default(size=22)
    draw.text((LEFT, 18), f"Minutes studied, last {WEEKS} weeks", font=title_font, fill=TEXT)

    start = first_day(today)
    shown_month = None
    for week in range(WEEKS):
        monday = start + timedelta(weeks=week)
        if monday.month != shown_month:
            shown_month = monday.month
            x = Geometry.cell_box(week, 0)[0]
            draw.text((x, TOP - 36), monday.strftime("%b"), font=label_font, fill=MUTED)
        for weekday in range(7):
            day = monday + timedelta(days=weekday)
            if day > today:
                continue
            box = Geometry.cell_box(week, weekday)
            colour = LEVEL_COLOURS[level(minutes_by_day.get(day, 0))]
            outline = TODAY_OUTLINE if day == today else None
            draw.rounded_rectangle(box, radius=6, fill=colour, outline=outline, width=3)
    for weekday, label in WEEKDAY_LABELS.items():
        y = Geometry.cell_box(0, weekday)[1] + CELL // 2
        draw.text((18, y), label, font=label_font, fill=MUTED, anchor="lm")

    legend_y = GEOMETRY.height - BOTTOM + 30
    x = LEFT
    for colour, text in zip(LEVEL_COLOURS, LEGEND, strict=True):
        draw.rounded_rectangle((x, legend_y, x + 24, legend_y + 24), radius=4, fill=colour)
        draw.text((x + 32, legend_y + 12), text, font=label_font, fill=MUTED, anchor="lm")
        x += 32 + int(draw.textlength(text, font=label_font)) + 22

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
