import io
from datetime import date, timedelta

from PIL import Image

from bot.render.heatmap import (
    GEOMETRY,
    LEVEL_COLOURS,
    WEEKS,
    Geometry,
    first_day,
    level,
    render_heatmap,
)

TODAY = date(2026, 11, 19)  # a Thursday: Friday to Sunday of this week are not drawn


def cell_colour(image: Image.Image, day: date) -> tuple[int, int, int]:
    offset = (day - first_day(TODAY)).days
    x0, y0, x1, y1 = Geometry.cell_box(offset // 7, offset % 7)
    pixel = image.getpixel(((x0 + x1) // 2, (y0 + y1) // 2))
    assert isinstance(pixel, tuple)
    return (pixel[0], pixel[1], pixel[2])


def test_levels_follow_the_minutes() -> None:
    assert [level(m) for m in (0, 1, 29, 30, 59, 60, 119, 120, 900)] == [0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_the_picture_has_one_shaded_square_per_study_day() -> None:
    history = {
        TODAY: 130,
        TODAY - timedelta(days=1): 45,
        TODAY - timedelta(days=10): 5,
        TODAY - timedelta(days=40): 75,
        first_day(TODAY): 20,
        first_day(TODAY) - timedelta(days=1): 300,  # too old to be shown
    }
    image = Image.open(io.BytesIO(render_heatmap(history, TODAY)))
    assert image.format == "PNG"
    assert image.size == (GEOMETRY.width, GEOMETRY.height)
    assert image.width >= 600  # legible on a phone

    days = [first_day(TODAY) + timedelta(days=i) for i in range(WEEKS * 7)]
    shown = [d for d in days if d <= TODAY]
    colours = {d: cell_colour(image, d) for d in shown}
    shaded = [d for d, c in colours.items() if c != LEVEL_COLOURS[0]]
    assert sorted(shaded) == sorted(d for d in history if first_day(TODAY) <= d <= TODAY)
    assert colours[TODAY] == LEVEL_COLOURS[4]
    assert colours[TODAY - timedelta(days=1)] == LEVEL_COLOURS[2]
    assert colours[TODAY - timedelta(days=10)] == LEVEL_COLOURS[1]
    assert colours[TODAY - timedelta(days=40)] == LEVEL_COLOURS[3]
    # Days after today are left blank, not drawn as empty squares.
    future = TODAY + timedelta(days=1)
    assert cell_colour(image, future) not in LEVEL_COLOURS


def test_an_empty_history_still_draws_the_grid() -> None:
    image = Image.open(io.BytesIO(render_heatmap({}, TODAY)))
    assert cell_colour(image, TODAY - timedelta(days=3)) == LEVEL_COLOURS[0]
