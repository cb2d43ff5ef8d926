"""Cells without their empties → rows (spaces, glued). Placeholder: filled below."""

from __future__ import annotations

from ..document import Block, Paragraph

__all__ = ["flat_blocks"]


def flat_blocks(paragraphs: list[Paragraph], *, glued: bool) -> list[Block]:
    return list(paragraphs)
