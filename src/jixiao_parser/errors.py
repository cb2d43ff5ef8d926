"""The typed errors jixiao_parser raises.

Every error derives from :class:`JixiaoError` and also from the builtin that
fits (``ValueError`` for bad content, ``OSError`` for unreadable input), and
names the source it is about::

    >>> from jixiao_parser import parse, JixiaoError
    >>> try:
    ...     parse(b"not a form")
    ... except JixiaoError as exc:
    ...     print(type(exc).__name__, exc.source)
    NotAForm <bytes>
"""

from __future__ import annotations

__all__ = [
    "CorruptDocument",
    "EncryptedDocument",
    "FormCountError",
    "JixiaoError",
    "JixiaoWarning",
    "MissingDependency",
    "NeedsOCR",
    "NotAForm",
    "ResourceLimitExceeded",
    "StrictError",
    "TableError",
    "UnreadableSource",
    "UnsupportedFormat",
]


#: the longest ``reason`` an error keeps: a dependency's message can quote a whole
#: damaged object (megabytes); the rest is cut, saying how long it was
MAX_REASON = 400


def short_reason(reason: str, limit: int = MAX_REASON) -> str:
    """``reason`` cut to ``limit`` characters, saying how long it was.

    >>> short_reason("x" * 1000, 20)
    'xxxxxxxxxxxxxxxxxxxx… (1000 characters)'
    """
    if len(reason) <= limit:
        return reason
    return f"{reason[:limit]}… ({len(reason)} characters)"


class JixiaoError(Exception):
    """Base class of every error raised by jixiao_parser.

    ``source`` names the file (or ``<bytes>``, ``<text>``, ``<stream>`` for
    in-memory input) and ``reason`` says what went wrong, in at most
    :data:`MAX_REASON` characters (a longer one is cut, saying how long it was).
    """

    def __init__(self, source: str, reason: str) -> None:
        reason = short_reason(str(reason))
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        # rebuild without __init__, so subclasses with other signatures pickle too
        return (_restore, (type(self), self.args, self.__dict__))


def _restore(
    cls: type[JixiaoError], args: tuple[object, ...], state: dict[str, object]
) -> JixiaoError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class UnreadableSource(JixiaoError, OSError):
    """The file could not be opened or read (missing, no permission, bad path)."""


class UnsupportedFormat(JixiaoError, ValueError):
    """The input is in a format this version cannot read (e.g. an image)."""


class CorruptDocument(JixiaoError, ValueError):
    """The input claims a format but cannot be decoded as it."""


class EncryptedDocument(JixiaoError, ValueError):
    """The document is password-protected."""


class MissingDependency(JixiaoError, ImportError):
    """An option needs a package that is not installed (``pdf_backend="pdfium"``
    without pypdfium2); the message names the package."""


class NeedsOCR(JixiaoError, ValueError):
    """The document has no text layer (a scan): it needs OCR first."""


class ResourceLimitExceeded(JixiaoError, ValueError):
    """The input is over a limit (size, pages, cells, zip inflation, time); see ``Limits``."""


class StrictError(JixiaoError, ValueError):
    """``strict=True`` and the form has a problem: a warning or a cell no field took."""


class TableError(JixiaoError, ValueError):
    """A report does not fit a table format: a figure too wide for the
    ``decimal128(38, 10)`` columns of Arrow and Parquet, or a sheet over Excel's
    limits. Raised before anything is written."""


class FormCountError(JixiaoError, ValueError):
    """:func:`jixiao_parser.parse` found more than one form; ``count`` says how many."""

    def __init__(self, source: str, reason: str, count: int) -> None:
        self.count = count
        super().__init__(source, reason)


class NotAForm(FormCountError):
    """The input was read, but no self-evaluation form was found in it."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(source, reason, 0)


class JixiaoWarning(UserWarning):
    """An input was read, but only by overriding what it says of itself (an HTML
    page whose declared charset its bytes contradict); the message names the file."""
