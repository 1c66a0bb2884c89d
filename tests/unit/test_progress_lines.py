"""Off a terminal, a long command's progress is whole lines: one per tenth of the work and one at the end."""

import io

from entrypoints.progress import progress


def test_off_a_terminal_progress_is_one_line_per_tenth_and_one_at_the_end():
    out = io.StringIO()
    with progress(length=1000, label="demo products", file=out) as bar:
        for _ in range(40):
            bar.update(25)
    assert out.getvalue().splitlines() == [
        "demo products: 25/1000 (2%)",
        *(f"demo products: {n}/1000 ({n // 10}%)" for n in range(100, 1000, 100)),
        "demo products: 1000/1000 (100%)",
    ]


def test_without_positions_the_lines_say_how_much_is_done():
    out = io.StringIO()
    with progress(length=4096, label="rows", show_pos=False, file=out) as bar:
        bar.update(2048)
        bar.update(2048)
    assert out.getvalue().splitlines() == ["rows: 50%", "rows: 100%"]


def test_nothing_to_do_still_ends_with_a_line():
    out = io.StringIO()
    with progress(length=0, label="demo products", file=out):
        pass
    assert out.getvalue().splitlines() == ["demo products: 0/0 (100%)"]
