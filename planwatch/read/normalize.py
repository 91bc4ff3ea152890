"""Length-preserving normalization shared by all readers.

Full-width ASCII variants (０-９, ％, （, ：, ；, ！, ？ …) fold to ASCII and the ideographic space to a space,
one character for one, so spans stay aligned with the original text. Chinese punctuation with no ASCII
twin (。、“”《》【】) is kept as written.
"""

_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0xFEFF: 0x20})


def fold_width(text: str) -> str:
    """Fold full-width ASCII to ASCII, one code point for one (len(result) == len(text))."""
    return text.translate(_FOLD)


def normalize_newlines(text: str) -> str:
    """\\r\\n and lone \\r become \\n, as Python's text mode reads a file."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


# A download site's banner line above the title in some published files ("更多数据请访问…"): neither the
# display title (read: Document.title) nor the title block metadata infers type, region and year from.
BANNER_PREFIXES = ("更多数据",)


def is_banner(line: str) -> bool:
    return line.startswith(BANNER_PREFIXES)
