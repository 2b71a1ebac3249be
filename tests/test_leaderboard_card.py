import io

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from bot.render.leaderboard_card import ROW, CardRow, render_leaderboard_card

NAMES = ["alice", "王小明", "محمد علي", "Бо́рис", "🔥🔥🔥", "a\nb\tc", "x" * 200, "", "‮reversed"]


def test_names_in_any_script_render_and_rows_grow_the_picture() -> None:
    rows = [CardRow(i + 1, name, 100 - i) for i, name in enumerate(NAMES)]
    image = Image.open(io.BytesIO(render_leaderboard_card("Week 47", rows)))
    empty = Image.open(io.BytesIO(render_leaderboard_card("Week 47", [])))
    assert image.format == "PNG"
    assert image.width == 800
    assert image.height - empty.height == (len(rows) - 1) * ROW


def test_the_longest_bar_belongs_to_the_leader() -> None:
    rows = [CardRow(1, "a", 90), CardRow(2, "b", 30)]
    image = Image.open(io.BytesIO(render_leaderboard_card("t", rows))).convert("RGB")
    bar = (88, 101, 242)

    def bar_length(row: int) -> int:
        y = 96 + row * ROW + ROW // 2
        return sum(1 for x in range(image.width) if image.getpixel((x, y)) == bar)

    assert bar_length(0) > 2 * bar_length(1) > 0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=60), st.integers(0, 10**6)), max_size=10))
def test_any_names_and_points_produce_a_picture(entries: list[tuple[str, int]]) -> None:
    rows = [CardRow(i + 1, name, points) for i, (name, points) in enumerate(entries)]
    assert render_leaderboard_card("Leaderboard", rows).startswith(b"\x89PNG")
