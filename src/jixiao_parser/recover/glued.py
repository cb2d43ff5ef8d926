"""Glued cells → tokens (placeholder)."""

from __future__ import annotations

from ..document import Paragraph
from .flat import Tok

__all__ = ["glued_tokens"]


def glued_tokens(p: Paragraph) -> list[Tok]:
    return [Tok(p.text, p.line, p.page, 0)]
