"""Step 1, read: bytes → `Document` (normalized text + offset map back to the original).

`read_document(path)` picks a reader by file extension (falling back to sniffing the bytes), and raises
`ReadError` naming the file and the reason when it cannot. Readers are pure functions of the bytes.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import ReadError
from ..model import Document
from .normalize import fold_width, is_banner, normalize_newlines
from .txt import decode_text

SUPPORTED = (".txt", ".text", ".md", ".pdf", ".docx", ".html", ".htm")

# Size limit: a plan, report or bulletin is at most a few MB of text (the 十四五 outline: 0.3 MB). A file far
# larger is an export gone wrong, a log or an archive; reading it would hold the batch for minutes and GBs.
# It is refused before a byte is read, with the size and the limit. $PLANWATCH_MAX_FILE_MB changes the limit.
MAX_FILE_MB_ENV = "PLANWATCH_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 100


def max_file_bytes() -> int:
    """The largest file read, in bytes: $PLANWATCH_MAX_FILE_MB (MB, may be fractional) else 100 MB."""
    raw = os.environ.get(MAX_FILE_MB_ENV, "").strip()
    try:
        mb = float(raw) if raw else DEFAULT_MAX_FILE_MB
    except ValueError:
        mb = DEFAULT_MAX_FILE_MB
    return int(mb * 1_000_000)


def _check_size(size: int, path: str) -> None:
    limit = max_file_bytes()
    if size > limit:
        raise ReadError(path, f"too large: {size / 1e6:,.1f} MB, over the {limit / 1e6:g} MB limit "
                              f"(set {MAX_FILE_MB_ENV} to read larger files)")


def _mixed_encoding(data: bytes) -> str:
    """Why bytes that are neither UTF-8 nor GB18030 as a whole are one followed by the other, or ""."""
    try:
        data.decode("utf-8")
        return ""
    except UnicodeDecodeError as e:
        cut = e.start
    if cut < 64:
        return ""
    try:
        data[cut:].decode("gb18030")
    except UnicodeDecodeError:
        return ""
    line = data[:cut].count(b"\n") + 1
    return (f"mixed encodings: UTF-8 up to byte {cut:,} (line {line}), GB18030/GBK after it; "
            "convert the file to one encoding (e.g. iconv) and read it again")


def _first_line_title(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line and not is_banner(line):
            return line[:120]
    return ""


def read_text_bytes(data: bytes, path: str) -> Document:
    try:
        text, encoding = decode_text(data, path)
    except ReadError as e:
        mixed = e.reason.startswith("undecodable") and _mixed_encoding(data)
        if mixed:
            raise ReadError(path, mixed) from e
        raise
    original = normalize_newlines(text)
    if original.startswith("\ufeff"):
        original = original[1:]
    if not original.strip():
        raise ReadError(path, "no text (the file holds only whitespace)")
    folded = fold_width(original)
    return Document(
        source=str(path), name=Path(path).name, format="txt", encoding=encoding,
        original=original, text=folded, offsets=None, title=_first_line_title(folded),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _sniff(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        return ".docx"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return ".html"
    return ".txt"


def read_bytes(data: bytes, path: str) -> Document:
    """Read a document from its bytes; `path` names it in errors and outputs and gives its type."""
    if not data:
        raise ReadError(path, "empty file (0 bytes)")
    _check_size(len(data), path)
    suffix = Path(path).suffix.lower()
    if suffix not in SUPPORTED:
        suffix = _sniff(data)
    if suffix == ".pdf":
        from .pdf import read_pdf

        return read_pdf(data, path)
    if suffix == ".docx":
        from .docx import read_docx

        return read_docx(data, path)
    if suffix in (".html", ".htm"):
        from .html import read_html

        return read_html(data, path)
    return read_text_bytes(data, path)


def expand_paths(paths) -> list[Path]:
    """Files as given; folders expanded recursively to the files planwatch can read (hidden ones skipped),
    sorted."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in SUPPORTED
                and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            files.append(p)
    return files


def read_document(path: str | Path) -> Document:
    """Read one file. Raises `ReadError` (never anything else) when it cannot."""
    p = Path(path)
    try:
        if not p.exists():
            raise ReadError(str(path), "no such file")
        if p.is_dir():
            raise ReadError(str(path), "is a directory, not a file")
        _check_size(p.stat().st_size, str(path))  # before reading: a huge file costs no memory
        data = p.read_bytes()
    except OSError as e:
        raise ReadError(str(path), f"cannot open: {e.strerror or e}") from e
    try:
        return read_bytes(data, str(path))
    except ReadError:
        raise
    except Exception as e:  # a reader library failing on a damaged file: name the file and the reason
        raise ReadError(str(path), f"unreadable {p.suffix.lstrip('.') or 'file'}: {type(e).__name__}: {e}") from e


__all__ = ["read_document", "expand_paths", "read_bytes", "read_text_bytes", "ReadError", "Document", "fold_width",
           "max_file_bytes"]
