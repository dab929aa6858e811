"""Bytes of an uploaded or downloaded file → text, refusing what is not text."""

from __future__ import annotations

from domain.errors import NotAReportError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_text(data: bytes, *, source: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030; refuse binary data."""
    if not data.strip():
        raise NotAReportError(f"{source}：文件是空的，不是年度报告")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, encoding, source)
    if b"\x00" in data[:4096]:
        raise NotAReportError(f"{source}：这是二进制文件，不是文本格式的年度报告")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            # A file cut off in the middle of a character: read what is there, the reader will see the cut.
            return data[: error.start].decode("utf-8")
        return _decode(data, "gb18030", source)


def _decode(data: bytes, encoding: str, source: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise NotAReportError(f"{source}：无法识别文件编码，不是可读的文本报告") from None
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 8:
        raise NotAReportError(f"{source}：文件含有大量控制字符，不是文本格式的年度报告")
    return text
