"""Reading documents from files, folders and stdin, and writing output atomically."""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
import sys
import tempfile
from contextlib import nullcontext, suppress
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Iterable, Iterator, Mapping, Optional

from .decoding import decode_bytes
from .decoding import fix_mojibake as fix_text
from .errors import ConfigError, InputError
from .result import Document

#: File endings read when a folder is given (a file named on its own is read whatever its name).
FOLDER_SUFFIXES = {".txt": "text", ".text": "text", ".jsonl": "jsonl", ".ndjson": "jsonl",
                   ".html": "html", ".htm": "html", ".xhtml": "html"}
INPUT_FORMATS = ("text", "jsonl", "html")
STDIN = "-"


def expand_paths(paths: list[str]) -> Iterator[tuple[str, Optional[str]]]:
    """Yield ``(path, error)``: named files as given, folders' files sorted and recursed.

    Hidden files and folders, and files with other endings than :data:`FOLDER_SUFFIXES`,
    are passed over inside folders, and so are links to folders (a link loop cannot trap
    the walk). A path that cannot be read yields an error: one that does not exist, a
    link that leads nowhere or in a loop, a folder without permission, and inside folders
    anything but a regular file (a FIFO there would block the run; named on the command
    line it is read, as ``<(command)`` expects).
    """
    for raw in paths:
        if raw == STDIN:
            yield raw, None
            continue
        try:
            info = os.stat(raw)
        except OSError as exc:
            yield raw, _path_error(raw, exc)
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(Path(raw))
        else:
            yield raw, None


def display_path(path: str) -> str:
    """``path`` as a record's ``source``: bytes of a file name that are not UTF-8 (which
    Python keeps as lone surrogates) become U+FFFD, so the record can be written."""
    try:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that no undecodable byte stands for
        return path.encode("utf-8", "replace").decode("utf-8")


def _path_error(path: str, exc: OSError) -> str:
    """What is wrong with a path that cannot be opened, in a few words."""
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "a broken symbolic link" if os.path.islink(path) else "no such file or directory"
    return f"cannot read: {exc.strerror or exc}"


def _walk(folder: Path) -> Iterator[tuple[str, Optional[str]]]:
    errors: list[OSError] = []

    def failed() -> Iterator[tuple[str, Optional[str]]]:
        while errors:
            error = errors.pop(0)
            where = str(error.filename or folder)
            yield where, f"cannot read folder: {error.strerror or error}"

    for root, dirs, files in os.walk(folder, onerror=errors.append, followlinks=False):
        yield from failed()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in FOLDER_SUFFIXES:
                path = os.path.join(root, name)
                yield path, _file_error(path)
    yield from failed()  # a folder that could not be listed last, or at all


def _file_error(path: str) -> Optional[str]:
    """Why a file found in a folder cannot be read, or None."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return _path_error(path, exc)
    if stat.S_ISREG(info.st_mode):
        return None
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"))
    kind = next((name for test, name in kinds if test(info.st_mode)), "a special file")
    return f"not a regular file ({kind})"


def guess_format(path: str) -> str:
    """The input format a path's ending suggests; plain text when it suggests none."""
    return FOLDER_SUFFIXES.get(Path(path).suffix.lower(), "text")


def read_documents(path: str, input_format: str, text_field: str, *,
                   fix_mojibake: bool = False, sniff_html: bool = False) -> Iterator[Document]:
    """The documents of one input: one for text and HTML, one per line for JSONL.

    Text and HTML are decoded by :func:`~newsclean.decoding.decode_bytes`: the record of
    a file that was not plain UTF-8 gets an ``encoding`` field (and ``replaced_bytes``
    when invalid bytes became U+FFFD). ``fix_mojibake`` undoes mojibake with ftfy and
    says so in a ``mojibake_fixed`` field. ``sniff_html`` reads a text input that is an
    HTML page (it starts with a doctype or ``<html``) as HTML, with ``read_as: html``,
    when the HTML extractor is installed.

    Problems are reported as documents with an ``error``, so the caller goes on.
    """
    source = "<stdin>" if path == STDIN else display_path(path)
    if input_format == "jsonl":
        yield from _jsonl_stream(path, source, text_field, fix_mojibake)
        return
    try:
        data = sys.stdin.buffer.read() if path == STDIN else Path(path).read_bytes()
    except OSError as exc:
        yield Document("", source, error=f"cannot read: {exc.strerror or exc}")
        return
    except MemoryError:
        yield Document("", source, error="too large to read into memory")
        return
    try:
        decoded = decode_bytes(data)
    except InputError as exc:
        yield Document("", source, error=str(exc))
        return
    except Exception as exc:  # a bug in detection must not cost the other inputs
        yield Document("", source, error=f"internal error: {exc!r}")
        return
    del data
    fields: dict[str, Any] = {}
    if not decoded.plain:
        fields["encoding"] = decoded.encoding
    if decoded.replaced:
        fields["replaced_bytes"] = decoded.replaced
    text = decoded.text
    if fix_mojibake:
        text, steps = fix_text(text)
        if steps:
            fields["mojibake_fixed"] = list(steps)
    if input_format == "text" and sniff_html and _HTML_START.match(text) and html_available():
        input_format = "html"
        fields["read_as"] = "html"
    if input_format == "html":
        try:
            text = html_to_text(text)
        except ValueError as exc:
            yield Document("", source, fields, error=str(exc))
            return
        except Exception as exc:  # lxml and trafilatura fail in ways of their own
            yield Document("", source, fields, error=f"cannot extract the HTML: {exc!r}")
            return
        yield Document(text, source, fields, mode="extracted")
        return
    yield Document(text, source, fields)


#: The start of a text that is an HTML page: a doctype or an <html> tag, after any blanks.
_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
                         re.IGNORECASE | re.DOTALL)
#: JSON has no raw line breaks inside values, so a JSONL file can be split at any of them.
_JSONL_BREAK = re.compile(rb"\r\n|\r|\n")
#: A JSON escape of a surrogate: after parsing, one may stand alone (invalid in UTF-8).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
              (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _jsonl_stream(path: str, source: str, text_field: str,
                  fix_mojibake: bool = False) -> Iterator[Document]:
    """A JSONL input read a line at a time, so that a stream of any length can be cleaned.

    A file in UTF-16 or UTF-32 (it starts with their byte-order mark) is read whole.
    """
    try:
        with (nullcontext(sys.stdin.buffer) if path == STDIN else open(path, "rb")) as stream:
            head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
            for bom, codec in _WIDE_BOMS:
                if head.startswith(bom):  # JSON is UTF-8, but a UTF-16 file says what it is
                    try:
                        data = stream.read().decode(codec).encode("utf-8")
                    except UnicodeDecodeError as exc:
                        yield Document("", source, error=f"not valid {codec} despite its"
                                                         f" byte-order mark (byte {exc.start})")
                        return
                    yield from _jsonl_documents(_JSONL_BREAK.split(data), source, text_field,
                                                fix_mojibake, {"encoding": codec})
                    return
            yield from _jsonl_documents(_split_lines(stream), source, text_field, fix_mojibake)
    except OSError as exc:
        yield Document("", source, error=f"cannot read: {exc.strerror or exc}")
    except MemoryError:
        yield Document("", source, error="too large to read into memory")


def _split_lines(stream: Iterable[bytes]) -> Iterator[bytes]:
    """The lines of a binary stream, ended by LF, CRLF or CR (a line is read up to its LF,
    then split at any CR in it: old Mac files)."""
    for line in stream:
        pieces = _JSONL_BREAK.split(line)
        if len(pieces) > 1 and pieces[-1] == b"":
            pieces.pop()  # the break that ended the line
        yield from pieces


def _jsonl_documents(lines: Iterable[bytes], source: str, text_field: str,
                     fix_mojibake: bool = False, extra: Optional[dict[str, Any]] = None
                     ) -> Iterator[Document]:
    extra = extra or {}
    for number, raw in enumerate(lines, start=1):
        where = f"{source}:{number}"
        if not raw.strip():
            continue
        try:
            record: Any = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"),
                                     parse_constant=_refuse_constant)
        except UnicodeDecodeError as exc:
            yield Document("", where, error=f"not UTF-8 (byte {exc.start})")
            continue
        except json.JSONDecodeError as exc:
            yield Document("", where, error=f"not JSON: {exc.msg} at column {exc.colno}")
            continue
        except (ValueError, RecursionError) as exc:  # NaN, huge integers, deep nesting
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            yield Document("", where, error=f"not JSON newsclean can keep: {reason}")
            continue
        if not isinstance(record, dict):
            kind = type(record).__name__
            yield Document("", where, error=f"a JSONL line must be an object, not {kind}")
            continue
        if _SURROGATE_ESCAPE.search(raw):
            try:
                record = _without_lone_surrogates(record)
            except RecursionError:
                yield Document("", where, error="not JSON newsclean can keep: nested too deeply")
                continue
        document = document_from_record({**record, **extra}, text_field, where)
        if fix_mojibake and document.error is None:
            text, steps = fix_text(document.text)
            if steps:
                document = Document(text, where, {**document.fields,
                                                  "mojibake_fixed": list(steps)})
        yield document


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _without_lone_surrogates(value: Any) -> Any:
    """``value`` with each lone surrogate in its strings replaced by U+FFFD."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v)
                for k, v in value.items()}
    return value


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
        # mkstemp makes the file private (0600); give it the mode a plain open would
        with suppress(OSError):
            os.fchmod(fd, _existing_mode(target) or 0o666 & ~_umask())
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


def _existing_mode(path: Path) -> Optional[int]:
    """The permission bits of the file at ``path``, which a rewrite keeps; None if none."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

