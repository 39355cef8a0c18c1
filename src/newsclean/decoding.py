"""Bytes to text: byte-order marks, UTF-8, other encodings detected, binary files refused.

Scraped files come in every encoding, and some are not text at all. :func:`decode_bytes`
reads what it can and says how:

1. a byte-order mark (UTF-8, UTF-16, UTF-32) decides;
2. UTF-8, when the bytes are UTF-8;
3. UTF-8 with the odd invalid byte replaced by U+FFFD, when most of the non-ASCII text is
   valid UTF-8 (a file cut short, or one stray byte);
4. otherwise the encoding charset-normalizer finds (Windows-1252, Latin-1, Windows-1251,
   UTF-16 without a mark...).

Known binary formats (images, archives, PDF...) and text made mostly of control
characters are refused with :class:`~newsclean.errors.InputError`.

>>> decode_bytes("Café".encode("utf-8"))
Decoded(text='Café', encoding='utf-8', replaced=0)
>>> decode_bytes("Le café était fermé, a déclaré le ministre.".encode("cp1252")).encoding
'cp1252'
>>> decode_bytes(b"%PDF-1.7 ...")
Traceback (most recent call last):
...
newsclean.errors.InputError: a binary file (a PDF document), not text
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Optional

from .errors import InputError

#: Starts of binary formats found among scraped files, with what to call them.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image, WAV or AVI)"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh91AY&SY", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x1aE\xdf\xa3", "a Matroska or WebM video"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)

#: Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Inputs shorter than this are too short for charset detection to be trusted: bytes that
#: are not UTF-8 are read as Windows-1252, the most common other encoding of Western news.
MIN_DETECT_BYTES = 64
#: A text with a larger share of control characters (in its first :data:`SAMPLE_CHARS`,
#: NUL padding at the end aside) is taken for binary data.
MAX_CONTROL_SHARE = 0.05
SAMPLE_CHARS = 65536
#: How much of a large input charset detection looks at (it is slow on megabytes).
DETECT_BYTES = 1 << 20
#: How much messier (charset-normalizer's measure) Windows-1252 may read than the best guess
#: and still be chosen.
WESTERN_TOLERANCE = 0.2
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\x80-\x9f]")
_FALLBACK = "cp1252"


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the codec that decoded it, and how many invalid bytes became U+FFFD."""

    text: str
    encoding: str
    replaced: int = 0

    @property
    def plain(self) -> bool:
        """Whether the input was plain UTF-8 (no mark, nothing replaced)."""
        return self.encoding == "utf-8" and not self.replaced


def binary_kind(data: bytes) -> Optional[str]:
    """What binary format ``data`` starts like, or None.

    >>> binary_kind(b"\\x89PNG\\r\\n\\x1a\\n...."), binary_kind(b"Plain text")
    ('a PNG image', None)
    """
    for signature, kind in BINARY_SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def decode_bytes(data: bytes) -> Decoded:
    """The text of ``data`` and how it was read; :class:`InputError` if it is not text."""
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(f"a binary file ({kind}), not text")
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return _checked(Decoded(data.decode(codec), codec))
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {codec} text despite its byte-order mark"
                                 f" (byte {exc.start})") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.end == len(data) and exc.reason == "unexpected end of data":
            # valid up to a last character cut short: UTF-8 all the same
            return _checked(Decoded(data.decode("utf-8", errors="replace"), "utf-8",
                                    len(data) - exc.start))
    else:
        if not _looks_binary(text):
            return Decoded(text, "utf-8")
        guess = _detect(data)  # UTF-16 without a mark decodes as UTF-8 full of NULs
        return _checked(guess if guess is not None else Decoded(text, "utf-8"))
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return _checked(mostly)
    guess = _detect(data)
    if guess is None:
        raise InputError("not text: neither UTF-8 nor any other encoding fits")
    return _checked(guess)


def _checked(decoded: Decoded) -> Decoded:
    if _looks_binary(decoded.text):
        raise InputError("a binary file (mostly control characters), not text")
    return decoded


def _looks_binary(text: str) -> bool:
    sample = text[:SAMPLE_CHARS].rstrip("\x00")
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) > MAX_CONTROL_SHARE * len(sample)


def _mostly_utf8(data: bytes) -> Optional[Decoded]:
    """UTF-8 with its invalid bytes replaced, if fewer bytes are invalid than characters
    beyond ASCII are valid: a UTF-8 file with a stray byte, not a file in another code."""
    text = data.decode("utf-8", errors="surrogateescape")
    invalid = sum(1 for _ in re.finditer("[\udc80-\udcff]", text))
    valid = sum(1 for _ in re.finditer("[^\\x00-\\x7f\udc80-\udcff]", text))
    if invalid >= valid:
        return None
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8", invalid)


def _detect(data: bytes) -> Optional[Decoded]:
    """The encoding charset-normalizer finds most likely, or None if none fits.

    UTF-16 and UTF-32 without a mark are believed only when there are NUL bytes (text in
    them that is mostly ASCII has one every other byte). Windows-1252, the most common
    encoding of Western news after UTF-8, wins when it reads the bytes about as cleanly as
    the best guess (single-byte code pages are often alike: Latin-1 text reads the same
    in Windows-1250 or Mac Latin 2 for most letters), and on inputs too short to judge.
    """
    if len(data) < MIN_DETECT_BYTES and b"\x00" not in data:
        try:
            return Decoded(data.decode(_FALLBACK), _FALLBACK)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    sample = data[:DETECT_BYTES]
    names: list[str] = []
    for match in from_bytes(sample):
        name = codecs.lookup(match.encoding).name
        if name.startswith(("utf-16", "utf-32")) and b"\x00" not in data:
            continue
        if not names and not name.startswith("utf"):
            try:
                western = sample.decode(_FALLBACK)
            except UnicodeDecodeError:
                pass
            else:
                if mess_ratio(western, 1.0) <= match.chaos + WESTERN_TOLERANCE:
                    names.append(_FALLBACK)
        names.append(name)
    for name in names:
        try:  # the detection saw the start only: the rest must fit too
            return Decoded(data.decode(name), name)
        except UnicodeDecodeError:
            continue
    return None


def mojibake_available() -> bool:
    """Whether ftfy (``newsclean[mojibake]``), which :func:`fix_mojibake` needs, is installed."""
    try:
        import ftfy  # noqa: F401
    except ImportError:
        return False
    return True


def fix_mojibake(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` with mojibake undone by ftfy, and the steps ftfy took (none: unchanged).

    Only encoding mix-ups are fixed (text decoded in the wrong code, C1 controls meant as
    Windows-1252, lone surrogates); quotes, ligatures, widths, line breaks and HTML
    entities stay as they are. Each line is fixed by itself, so a long text costs no
    more than its lines, and a line too long for ftfy is left alone.

    >>> fix_mojibake("The minister‚Äôs caf√© ‚Äì closed")
    ('The minister’s café – closed', ('encode:macroman', 'decode:utf-8'))
    >>> fix_mojibake("Nothing wrong here")
    ('Nothing wrong here', ())
    """
    import ftfy

    config = ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
        fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
        remove_control_chars=False, normalization=None, explain=True)
    steps: list[str] = []
    parts: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.isascii() or len(line) > config.max_decode_length:
            parts.append(line)
            continue
        fixed, explanation = ftfy.fix_and_explain(line, config)
        parts.append(fixed)
        for step in explanation or ():
            name = f"{step.action}:{step.parameter}"
            if name not in steps:
                steps.append(name)
    return "".join(parts), tuple(steps)
