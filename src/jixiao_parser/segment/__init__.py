"""Segmentation: a Document → one :class:`FormLayout` per form, its sections found
by label vocabulary and its table sections' column headers resolved.

- :mod:`.stitch` rejoins rows a page break cut in two;
- :mod:`.labels` says what a line is by its labels (a title, a section's start);
- :mod:`.forms` sorts lines into forms and sections;
- :mod:`.columns` finds each table section's header rows and column roles.
"""

from __future__ import annotations

from ..document import Line
from .columns import ColumnMap, SectionTable
from .forms import FormLayout, document_lines, segment_forms
from .labels import goal_subtable, is_indicator_header, year_of_line
from .stitch import stitch_split_rows

__all__ = [
    "ColumnMap",
    "FormLayout",
    "Line",
    "SectionTable",
    "document_lines",
    "goal_subtable",
    "is_indicator_header",
    "segment_forms",
    "stitch_split_rows",
    "year_of_line",
]
