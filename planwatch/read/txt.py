"""Plain text: BOM → strict UTF-8 → strict GB18030 → charset-normalizer on the whole file.

GB2312/GBK labels are decoded as GB18030 (its superset): Python's gb2312 codec fails on 〇 堽 堎 and maps
· to ・ (../shared/STACK.md).
"""
from __future__ import annotations

import codecs

from ..errors import ReadError

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_AS_GB18030 = {"gb2312", "gbk", "cp936", "gb18030", "hz", "euc_cn", "euc-cn"}


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not a text file (checked on the first 8 KiB)."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > max(8, len(head) // 50)


def decode_bom(data: bytes, path: str) -> tuple[str, str] | None:
    """(text, encoding) when the bytes start with a byte-order mark, else None; a BOM that lies is an error."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError as e:
                raise ReadError(path, f"starts with a {enc} byte-order mark but does not decode ({e.reason} at byte {e.start})")
    return None


def decode_text(data: bytes, path: str) -> tuple[str, str]:
    """Decode the bytes of a text file; returns (text, encoding used)."""
    if (decoded := decode_bom(data, path)) is not None:
        return decoded
    if _looks_binary(data):
        raise ReadError(path, "binary content, not text (NUL or control bytes)")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # the detector is a last resort; its failure is the file's failure
        best = None
    if best is not None and best.encoding:
        enc = best.encoding.lower().replace("_", "-")
        if enc.replace("-", "_") in _AS_GB18030 or enc in _AS_GB18030:
            enc = "gb18030"
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            pass
    raise ReadError(path, "undecodable text: neither UTF-8 nor GB18030, and no other encoding fits")
