"""Where inputs come from: local paths, directories, globs, and fsspec URLs.

A name like ``s3://bucket/forms/*.pdf``, ``gs://…``, ``memory://…`` or
``file:///data/forms/`` is a URL; reading one needs the ``remote`` extra
(fsspec, plus s3fs for ``s3://``). Everything else is a local path.

>>> is_url("s3://bucket/a.pdf"), is_url("forms/a.pdf"), is_url("C:\\\\forms\\\\a.pdf")
(True, False, False)
>>> expand("corpus/seeds/*/*.txt").files
['corpus/seeds/seed_000/000_f4fd78449f7adfd3.txt', 'corpus/seeds/seed_003/003_83db39a3659af481.txt']
"""

from __future__ import annotations

import glob
import io
import os
import re
from collections.abc import Mapping
from typing import Any

import attrs

from .errors import MissingDependency, ResourceLimitExceeded, UnreadableSource

__all__ = ["Expanded", "NamedBytes", "expand", "is_url", "read_url"]

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")

_REMOTE_EXTRA = "pip install 'jixiao_parser[remote]'"


def is_url(name: object) -> bool:
    """True for a string with a scheme (``s3://``, ``memory://``, ``file://`` …).

    >>> is_url("memory://forms/a.txt"), is_url("/tmp/a.txt")
    (True, False)
    """
    return isinstance(name, str) and _URL.match(name) is not None


class NamedBytes(io.BytesIO):
    """Bytes with a name: what :func:`~jixiao_parser.parse_all` reports as the
    source's path (a URL, ``<stdin>``). It pickles, so it can go to a worker.

    >>> from jixiao_parser import parse_all
    >>> parse_all(NamedBytes(b"no form here", "<stdin>"))
    []
    """

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


def _filesystem(url: str, storage_options: Mapping[str, Any] | None) -> tuple[Any, str]:
    """(fsspec filesystem, path inside it) for ``url``; a missing package is
    :class:`~jixiao_parser.MissingDependency` naming what to install."""
    try:
        from fsspec.core import url_to_fs
    except ImportError as exc:
        msg = f"reading URLs needs fsspec: {_REMOTE_EXTRA}"
        raise MissingDependency(url, msg) from exc
    try:
        fs, path = url_to_fs(url, **dict(storage_options or {}))
    except ImportError as exc:  # the protocol's own package (s3fs, gcsfs …)
        msg = f"{str(exc).splitlines()[0]} ({_REMOTE_EXTRA} brings s3fs)"
        raise MissingDependency(url, msg) from exc
    except ValueError as exc:  # an unknown protocol
        raise UnreadableSource(url, str(exc)) from exc
    return fs, path


def read_url(
    url: str, max_bytes: int | None = None, storage_options: Mapping[str, Any] | None = None
) -> NamedBytes:
    """The bytes at ``url`` (at most ``max_bytes + 1`` of them, so that a size
    limit can still be reported), named by the URL.

    >>> import fsspec
    >>> with fsspec.open("memory://doc/a.txt", "wb") as fh:
    ...     _ = fh.write(b"hello")
    >>> read_url("memory://doc/a.txt").read(), read_url("memory://doc/a.txt").name
    (b'hello', 'memory://doc/a.txt')
    """
    fs, path = _filesystem(url, storage_options)
    try:
        with fs.open(path, "rb") as fh:
            data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UnreadableSource(url, f"cannot read: {reason}"[:300]) from exc
    if max_bytes is not None and len(data) > max_bytes:
        msg = f"input is over the limit of {max_bytes} bytes (max_bytes)"
        raise ResourceLimitExceeded(url, msg)
    return NamedBytes(bytes(data), url)


@attrs.frozen
class Expanded:
    """One name given by the user, expanded: ``kind`` is ``"file"`` (named
    itself), ``"dir"`` or ``"glob"``; ``files`` are what it names, sorted."""

    name: str
    kind: str
    files: list[str]


def expand(
    name: str | os.PathLike[str],
    *,
    recursive: bool = True,
    storage_options: Mapping[str, Any] | None = None,
) -> Expanded:
    """The files ``name`` stands for: a file (itself, even when it does not
    exist: reading it will say so), a directory (its files, all levels with
    ``recursive``; hidden ones skipped) or a glob (``**`` descends with
    ``recursive``). URLs are listed through fsspec the same way.

    >>> expand("corpus/seeds", recursive=True).kind
    'dir'
    >>> expand("corpus/seeds/*.pdf").files
    []
    """
    p = os.fspath(name)
    if is_url(p):
        return _expand_url(p, recursive, storage_options)
    if os.path.isdir(p):
        out: list[str] = []
        for root, dirs, names in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if recursive else []
            out.extend(os.path.join(root, n) for n in sorted(names) if not n.startswith("."))
        return Expanded(p, "dir", out)
    if not os.path.exists(p) and glob.has_magic(p):
        found = sorted(glob.glob(p, recursive=recursive))
        return Expanded(p, "glob", [m for m in found if os.path.isfile(m)])
    return Expanded(p, "file", [p])


def _hidden(path: str, base: str) -> bool:
    rest = path[len(base) :] if path.startswith(base) else path.rsplit("/", 1)[-1]
    return any(part.startswith(".") for part in rest.split("/") if part)


def _expand_url(url: str, recursive: bool, storage_options: Mapping[str, Any] | None) -> Expanded:
    fs, path = _filesystem(url, storage_options)
    try:
        if glob.has_magic(path):
            found = fs.glob(path)
            files = [f for f in found if fs.isfile(f)]
            base = path[: min(path.find(c) for c in "*?[" if c in path)].rsplit("/", 1)[0]
            kind = "glob"
        elif fs.isdir(path):
            if recursive:
                files = list(fs.find(path))
            else:
                files = [e["name"] for e in fs.ls(path, detail=True) if e["type"] == "file"]
            base = path.rstrip("/")
            kind = "dir"
        else:
            return Expanded(url, "file", [url])
    except (OSError, ValueError) as exc:
        raise UnreadableSource(url, f"cannot list: {exc}"[:300]) from exc
    names = sorted(f for f in files if not _hidden(f, base))
    return Expanded(url, kind, [fs.unstrip_protocol(f) for f in names])
