"""Files of records: upload checks, type sniffing, content-addressed storage and ranged downloads.

A file is stored once under a name derived from its SHA-256 (``records/ab/abcd…``), whatever the uploader called
it, so no uploaded name ever reaches the file system or the object store. Types come from the content, not from
the name: content that a browser would run (HTML, SVG, programs) is refused when its name hides it, and stored as
``application/octet-stream`` when its name says it. Every download is an attachment with ``nosniff``.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO, Any

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, QueryDict, StreamingHttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

SNIFF_BYTES = 8192
CHUNK = 64 * 1024
OCTET_STREAM = "application/octet-stream"

# Content a browser may execute or render with scripts, by the name's extension.
_DANGEROUS_EXTENSIONS = {
    "html": {".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".hta"},
    "svg": {".svg", ".svgz"},
    "executable": {".exe", ".dll", ".com", ".scr", ".msi", ".sys", ".cpl", ".elf", ".so", ".dylib", ".class", ".jar"},
    "script": {".js", ".mjs", ".vbs", ".ps1", ".bat", ".cmd", ".sh", ".wsf"},
}
_DANGEROUS_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "application/javascript",
    "text/javascript",
    "application/x-msdownload",
    "application/x-dosexec",
    "application/x-executable",
    "application/x-sh",
    "application/java-archive",
    "application/java-vm",
}
# Types that say little about a file: the extension's type is preferred when the content is one of these.
_GENERIC_TYPES = {
    "",
    OCTET_STREAM,
    "application/zip",
    "application/x-zip-compressed",
    "text/plain",
    "text/xml",
    "application/xml",
}


def upload_limit_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


# Room for a form's other fields and the multipart framing around the file itself.
_FORM_OVERHEAD = 64 * 1024


class UploadLimitHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: a body declared larger than the limit is not read at all, and an upload
    that grows past it is cut off, so an oversized file is never kept, not even in a temporary file."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0
        self.exceeded = False

    def handle_raw_input(self, input_data, meta, content_length, boundary, encoding=None):  # type: ignore[no-untyped-def]
        if content_length > upload_limit_bytes() + _FORM_OVERHEAD:
            self.exceeded = True
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > upload_limit_bytes():
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def upload_exceeded(request: HttpRequest) -> bool:
    """Whether this request's upload was refused for its size (reads the body if nothing has yet)."""
    request.POST  # noqa: B018 - parsing runs the upload handlers
    return any(getattr(handler, "exceeded", False) for handler in request.upload_handlers)


def kind_label(kind: str) -> str:
    return {
        "html": _("a web page (HTML)"),
        "svg": _("an SVG image"),
        "executable": _("a program"),
        "script": _("a script"),
    }[kind]


def safe_file_name(name: str) -> str:
    """The name a file is listed and downloaded under: no folders, no control characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = PureWindowsPath(PurePosixPath(name).name).name  # drop folders of either kind of path
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"[\s]+", " ", name).strip(" .")
    name = re.sub(r'[<>:"/\\|?*]', "_", name)
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 200 - len(extension) - 1] + dot + extension) if dot and len(extension) < 20 else name[:200]
    if not name:
        raise ValidationError({"file": _("Give the file a name.")})
    return name


def _extension(name: str) -> str:
    return PurePosixPath(name.lower()).suffix


def _extension_kind(name: str) -> str | None:
    extension = _extension(name)
    return next((kind for kind, extensions in _DANGEROUS_EXTENSIONS.items() if extension in extensions), None)


def _is_windows_program(head: bytes) -> bool:
    if not head.startswith(b"MZ"):
        return False
    if b"This program cannot be run in DOS mode" in head[:1024]:
        return True
    if len(head) >= 0x40:
        offset = int.from_bytes(head[0x3C:0x40], "little")
        return head[offset : offset + 4] == b"PE\x00\x00"
    return False


def content_kind(head: bytes) -> str | None:
    """What the first bytes say the file is, when it is something a browser or a system would run."""
    if _is_windows_program(head) or head.startswith(
        (
            b"\x7fELF",
            b"\xfe\xed\xfa\xce",
            b"\xfe\xed\xfa\xcf",
            b"\xce\xfa\xed\xfe",
            b"\xcf\xfa\xed\xfe",
            b"\xca\xfe\xba\xbe",
        )
    ):
        return "executable"
    text = head[:2048]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        text = text.removeprefix(bom)
    text = text.replace(b"\x00", b"").lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<meta")):
        return "html"
    if text.startswith((b"<svg", b"<!doctype svg")) or (text.startswith((b"<?xml", b"<!--")) and b"<svg" in text):
        return "svg"
    if text.startswith(b"<?xml") and b"<html" in text:
        return "html"
    if head.startswith(b"#!"):
        return "script"
    return None


def _puremagic_type(head: bytes) -> str:
    try:
        return puremagic.from_string(head, mime=True) or ""
    except (puremagic.PureError, ValueError):
        return ""


def sniff_media_type(head: bytes, name: str) -> str:
    """The type to store for a file whose first bytes are ``head``; a ValidationError when the content is something
    dangerous that the name hides (an HTML page called ``report.pdf``, a program called ``photo.jpg``)."""
    found, named = content_kind(head), _extension_kind(name)
    if found in {"html", "svg", "executable"} and found != named:
        raise ValidationError(
            {
                "file": _(
                    "The content of “%(name)s” is %(kind)s, which its name does not say. Give it the right name, "
                    "or pack it into a ZIP archive."
                )
                % {"name": name, "kind": kind_label(found)}
            },
            code="type_mismatch",
        )
    if found or named:
        return OCTET_STREAM  # kept, but never handed to a browser as something it would render
    sniffed = _puremagic_type(head)
    guessed = mimetypes.guess_type(name, strict=False)[0] or ""
    if sniffed not in _GENERIC_TYPES:
        media_type = sniffed
    elif guessed:
        media_type = guessed
    elif sniffed:
        media_type = sniffed
    else:
        media_type = "text/plain" if _looks_like_text(head) else OCTET_STREAM
    return OCTET_STREAM if media_type in _DANGEROUS_TYPES else media_type


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 4  # a character cut at the end of the sniffed bytes
    return True


def storage_name(sha256: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError("not a SHA-256")
    return f"records/{sha256[:2]}/{sha256}"


def content_digest(content: Any) -> tuple[str, int, bytes]:
    """(SHA-256, size, first bytes) of an uploaded or opened file, read once in chunks."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    if hasattr(content, "seek"):
        content.seek(0)
    for chunk in content.chunks(CHUNK) if hasattr(content, "chunks") else iter(lambda: content.read(CHUNK), b""):
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size, head


def store(content: Any, sha256: str) -> str:
    """Keep ``content`` under its content-derived name; the same content is stored once."""
    name = storage_name(sha256)
    if not default_storage.exists(name):
        content.seek(0)
        saved = default_storage.save(name, content)
        if saved != name:  # another upload of the same content won the race: keep one copy
            default_storage.delete(saved)
    return name


def open_stored(sha256: str) -> IO[bytes]:
    return default_storage.open(storage_name(sha256), "rb")


def delete_stored(sha256: str) -> None:
    name = storage_name(sha256)
    if default_storage.exists(name):
        default_storage.delete(name)


# --- downloads --------------------------------------------------------------------------------------------------

_RANGE = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


UNSATISFIABLE = "unsatisfiable"


def parse_range(header: str, size: int) -> ByteRange | str | None:
    """One satisfiable range, ``UNSATISFIABLE``, or None (no range, a malformed one, or several: the whole file)."""
    unit, _eq, spec = (header or "").partition("=")
    if unit.strip().lower() != "bytes" or not spec:
        return None
    parts = spec.split(",")
    if len(parts) != 1:
        return None  # several ranges: answering the whole file is allowed (RFC 9110 §14.2)
    match = _RANGE.match(parts[0])
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            return UNSATISFIABLE
        return ByteRange(max(size - suffix, 0), size - 1)
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None  # invalid range: ignore the header
    if start >= size:
        return UNSATISFIABLE
    return ByteRange(start, end)


def _chunks(handle: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def _etag_matches(header: str, etag: str) -> bool:
    candidates = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in candidates or etag in candidates


def file_response(request: HttpRequest, *, name: str, sha256: str, size: int, media_type: str) -> HttpResponse:
    """A stored file as an attachment, with its SHA-256 as ETag and single byte ranges (206, 416)."""
    etag = f'"{sha256}"'
    if _etag_matches(request.headers.get("If-None-Match", ""), etag):
        response: HttpResponse = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    byte_range = parse_range(request.headers.get("Range", ""), size)
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range.strip() != etag:
        byte_range = None  # the client's copy is another version: send the whole file
    if byte_range == UNSATISFIABLE:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif isinstance(byte_range, ByteRange):
        response = StreamingHttpResponse(
            _chunks(open_stored(sha256), byte_range.start, byte_range.length), status=206, content_type=media_type
        )
        response["Content-Range"] = f"bytes {byte_range.start}-{byte_range.end}/{size}"
        response["Content-Length"] = str(byte_range.length)
    else:
        response = StreamingHttpResponse(_chunks(open_stored(sha256), 0, size), content_type=media_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-transform"
    return response
