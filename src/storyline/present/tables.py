"""Tables that fit the terminal: ids are never cut; narrow widths drop secondary columns first.

The next command needs the id a table shows (`storyline brief ID`), so an id column keeps its whole
width whatever the terminal; a title gives way (cut with an ellipsis, down to a few characters), and
below that the columns marked secondary go, least useful first, until the rest fits.

    table = fitted_table("3 stories", [Column("story", essential=True), Column("title", flexible=True)],
                         rows, width=console.width)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich import box
from rich.table import Table
from rich.text import Text

from storyline.present.safe import plain

#: Narrowest a flexible column (a title) is cut to before secondary columns are dropped for it.
MIN_FLEXIBLE = 12


@dataclass(frozen=True)
class Column:
    """One column: `essential` columns (ids) are never cut nor dropped; the `flexible` one takes the
    width left; the others are dropped, highest `drop` first, when the table does not fit."""

    header: str
    justify: Literal["left", "right", "center"] = "left"
    essential: bool = False
    flexible: bool = False
    drop: int = 0
    max_width: int | None = None


def _overhead(columns: int) -> int:
    # SIMPLE_HEAD without its edge and edge padding: a divider and a space each side between columns.
    return 3 * max(columns - 1, 0)


def fit_columns(columns: Sequence[Column], natural: Sequence[int], width: int) -> list[int]:
    """The indexes of the columns to show at `width`, in order: every essential one, then as many
    others as fit with the flexible column at `MIN_FLEXIBLE` or its natural width if narrower."""
    kept = list(range(len(columns)))

    def need(indexes: list[int]) -> int:
        total = _overhead(len(indexes))
        for i in indexes:
            total += min(natural[i], MIN_FLEXIBLE) if columns[i].flexible else natural[i]
        return total

    droppable = sorted(
        (i for i, c in enumerate(columns) if not c.essential and not c.flexible),
        key=lambda i: (-columns[i].drop, -i),
    )
    for i in droppable:
        if need(kept) <= width:
            break
        kept.remove(i)
    return kept


def fitted_table(
    title: str, columns: Sequence[Column], rows: Sequence[Sequence[Text | str]], width: int
) -> Table:
    """A rich table of `rows` that fits in `width` columns (see the module docstring)."""
    cells = [[c if isinstance(c, Text) else plain(c, one_line=True) for c in row] for row in rows]
    natural = []
    for i, column in enumerate(columns):
        widest = max([len(column.header)] + [row[i].cell_len for row in cells])
        natural.append(min(widest, column.max_width) if column.max_width else widest)
    kept = fit_columns(columns, natural, width)
    table = Table(title=plain(title, one_line=True), title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
                  pad_edge=False)
    fixed = _overhead(len(kept)) + sum(natural[i] for i in kept if not columns[i].flexible)
    for i in kept:
        column = columns[i]
        if column.flexible:
            room = max(min(natural[i], MIN_FLEXIBLE), min(natural[i], width - fixed))
            table.add_column(column.header, justify=column.justify, no_wrap=True, overflow="ellipsis",
                             width=room)
        else:
            # Essential or not, a shown column keeps its whole width: a cut id or date misleads.
            table.add_column(column.header, justify=column.justify, no_wrap=True, min_width=natural[i],
                             max_width=natural[i] if column.max_width else None,
                             overflow="ellipsis" if column.max_width else "fold")
    for row in cells:
        table.add_row(*(row[i] for i in kept))
    return table
