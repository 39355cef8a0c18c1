"""Reading documents from files, folders and stdin, and writing output atomically."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from contextlib import nullcontext
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Iterable, Iterator, Mapping, Optional

from .errors import ConfigError
from .result import Document

#: File endings read when a folder is given (a file named on its own is read whatever its name).
FOLDER_SUFFIXES = {".txt": "text", ".text": "text", ".jsonl": "jsonl", ".ndjson": "jsonl",
                   ".html": "html", ".htm": "html", ".xhtml": "html"}
INPUT_FORMATS = ("text", "jsonl", "html")
STDIN = "-"


def expand_paths(paths: list[str]) -> Iterator[tuple[str, Optional[str]]]:
    """Yield ``(path, error)``: named files as given, folders' files sorted and recursed.

    Hidden files and folders, and files with other endings than :data:`FOLDER_SUFFIXES`,
    are passed over inside folders. A path that does not exist yields an error.
    """
    for raw in paths:
        if raw == STDIN:
            yield raw, None
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield raw, None
        else:
            yield raw, "no such file or directory"


def _walk(folder: Path) -> Iterator[tuple[str, Optional[str]]]:
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in FOLDER_SUFFIXES:
                yield os.path.join(root, name), None
        while errors:
            error = errors.pop()
            yield str(error.filename or root), f"cannot read folder: {error.strerror or error}"


def guess_format(path: str) -> str:
    """The input format a path's ending suggests; plain text when it suggests none."""
    return FOLDER_SUFFIXES.get(Path(path).suffix.lower(), "text")


def read_documents(path: str, input_format: str, text_field: str) -> Iterator[Document]:
    """The documents of one input: one for text and HTML, one per line for JSONL.

    Problems are reported as documents with an ``error``, so the caller goes on.
    """
    source = "<stdin>" if path == STDIN else path
    if input_format == "jsonl":
        yield from _jsonl_stream(path, source, text_field)
        return
    try:
        data = sys.stdin.buffer.read() if path == STDIN else Path(path).read_bytes()
    except OSError as exc:
        yield Document("", source, error=f"cannot read: {exc.strerror or exc}")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Document("", source, error=f"not UTF-8 text (byte {exc.start})")
        return
    if input_format == "html":
        try:
            text = html_to_text(text)
        except ValueError as exc:
            yield Document("", source, error=str(exc))
            return
        yield Document(text, source, mode="extracted")
        return
    yield Document(text, source)


def _jsonl_stream(path: str, source: str, text_field: str) -> Iterator[Document]:
    """A JSONL input read a line at a time, so that a stream of any length can be cleaned."""
    try:
        with (nullcontext(sys.stdin.buffer) if path == STDIN else open(path, "rb")) as stream:
            yield from _jsonl_documents(stream, source, text_field)
    except OSError as exc:
        yield Document("", source, error=f"cannot read: {exc.strerror or exc}")


def _jsonl_documents(lines: Iterable[bytes], source: str, text_field: str
                     ) -> Iterator[Document]:
    for number, raw in enumerate(lines, start=1):
        where = f"{source}:{number}"
        if not raw.strip():
            continue
        try:
            record: Any = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            yield Document("", where, error=f"not UTF-8 (byte {exc.start})")
            continue
        except json.JSONDecodeError as exc:
            yield Document("", where, error=f"not JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(record, dict):
            kind = type(record).__name__
            yield Document("", where, error=f"a JSONL line must be an object, not {kind}")
            continue
        yield document_from_record(record, text_field, where)


def document_from_record(record: Mapping[str, Any], text_field: str,
                         source: Optional[str]) -> Document:
    """A record's text as a :class:`Document`, or one with an ``error`` if it has none."""
    fields = dict(record)
    text = fields.get(text_field)
    if text_field not in fields:
        return Document("", source, fields, f"the record has no {text_field!r} field")
    if not isinstance(text, str):
        return Document("", source, fields,
                        f"the {text_field!r} field is {type(text).__name__}, not a string")
    return Document(text, source, fields)


def html_available() -> bool:
    """Whether the optional HTML extractor (trafilatura, ``newsclean[html]``) is installed."""
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        return False
    return True


def html_to_text(html: str) -> str:
    """The main text of an HTML page, by trafilatura with recall favoured.

    Raises ``ValueError`` when nothing could be extracted.
    """
    import trafilatura

    text = trafilatura.extract(html, favor_recall=True, include_comments=False,
                               include_tables=True)
    if text is None:
        raise ValueError("no text could be extracted from the HTML")
    return str(text)


class AtomicOutput:
    """A text file written to a temporary file beside it and renamed into place on success.

    With ``path`` None it writes to stdout. If the block raises, the temporary file is
    removed and any earlier file at ``path`` stays as it was.
    """

    def __init__(self, path: Optional[str]) -> None:
        self.path = path
        self._temp: Optional[str] = None
        self.stream: IO[str] = sys.stdout

    def __enter__(self) -> IO[str]:
        if self.path is None:
            return self.stream
        target = Path(self.path)
        if target.is_dir():
            raise ConfigError("the output path is a folder", path=self.path)
        try:
            fd, self._temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                              dir=target.parent if str(target.parent) else ".")
        except OSError as exc:
            raise ConfigError(f"cannot write: {exc.strerror or exc}", path=self.path) from exc
        self.stream = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self.stream

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        if self._temp is None:
            self.stream.flush()
            return
        try:
            if exc_type is None:
                self.stream.flush()
                os.fsync(self.stream.fileno())
                self.stream.close()
                assert self.path is not None
                os.replace(self._temp, self.path)
                self._temp = None
        finally:
            if self._temp is not None:
                self.stream.close()
                os.unlink(self._temp)
