"""Files of records: upload checks and type sniffing, content-addressed storage, downloads through the access policy
with byte ranges, and what published versions keep."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload

from spacebridge.access.models import Level
from spacebridge.audit.models import AuditEntry
from spacebridge.records import files, services
from spacebridge.records.models import RecordFile
from spacebridge.records.tests import test_views
from spacebridge.records.tests.test_views import PDF, World

world = test_views.world  # the shared fixture

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXE = b"MZ\x90\x00" + b"\x00" * 56 + (64).to_bytes(4, "little") + b"PE\x00\x00" + b"\x00" * 64
CSV = "subject,density\nA,1.02\nБ,0.97\n".encode()
BODY = bytes(range(256)) * 40  # 10 240 bytes, every offset distinguishable


def _upload(world: World, record: Any, name: str, content: bytes, user: Any = None) -> Any:
    client = world.client(user or world.ru_liaison)
    return client.post(f"/records/{record.reference}/files/", {"file": SimpleUploadedFile(name, content)})


# --- upload ---------------------------------------------------------------------------------------------------------


def test_an_uploaded_file_is_typed_from_its_content_and_stored_under_its_sha256(world: World) -> None:
    record = world.record(level=Level.PUBLIC)
    response = _upload(world, record, "../../etc/Protocol v2.pdf", PDF)
    assert response.status_code == 302 and response["Location"].endswith("#files")
    stored = RecordFile.objects.get(record=record)
    sha256 = hashlib.sha256(PDF).hexdigest()
    assert (stored.name, stored.size, stored.media_type, stored.sha256) == (
        "Protocol v2.pdf",
        len(PDF),
        "application/pdf",
        sha256,
    )
    assert stored.file.name == f"records/{sha256[:2]}/{sha256}"
    assert default_storage.open(stored.file.name).read() == PDF
    record.refresh_from_db()
    assert record.has_unpublished_changes
    entry = AuditEntry.objects.filter(verb="record.file_added").get()
    assert entry.changes["sha256"] == sha256 and entry.object_ref == record.reference
    page = world.client(world.ru_member).get(record.get_absolute_url()).content.decode()
    assert sha256 in page and "Protocol v2.pdf" in page


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        ("figure.png", PNG, "image/png"),
        ("figure.dat", PNG, "image/png"),  # the content says what it is
        ("densities.csv", CSV, "text/csv"),
        ("notes", b"plain notes\n", "text/plain"),
        ("figure.svg", SVG, "application/octet-stream"),  # named for what it is, and still never rendered
        ("page.html", HTML, "application/octet-stream"),
        ("tool.exe", EXE, "application/octet-stream"),
        ("run.sh", b"#!/bin/sh\necho hi\n", "application/octet-stream"),
        ("empty-page.htm", b"just text", "application/octet-stream"),  # a dangerous name is enough
    ],
)
def test_sniffed_types(world: World, name: str, content: bytes, media_type: str) -> None:
    record = world.record(level=Level.PUBLIC)
    assert _upload(world, record, name, content).status_code == 302
    assert RecordFile.objects.get(record=record).media_type == media_type


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("report.pdf", HTML, "a web page (HTML)"),
        ("figure.png", SVG, "an SVG image"),
        ("photo.jpg", EXE, "a program"),
        ("readme.txt", b"\xef\xbb\xbf  <html><body>hi</body></html>", "a web page (HTML)"),
    ],
)
def test_content_that_a_browser_would_run_under_another_name_is_refused(
    world: World, name: str, content: bytes, kind: str
) -> None:
    record = world.record(level=Level.PUBLIC)
    response = _upload(world, record, name, content)
    assert response.status_code == 400
    assert kind in " ".join(response.context["upload_form"].errors["file"])
    assert not RecordFile.objects.exists()


def test_too_big_a_file_is_refused_with_413_and_nothing_is_kept(world: World, settings: Any) -> None:
    settings.MAX_UPLOAD_MB = 1
    record = world.record(level=Level.PUBLIC)
    big = b"\x00" * (1024 * 1024 + 1)
    response = _upload(world, record, "big.bin", big)
    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()
    assert not RecordFile.objects.exists()
    assert not default_storage.exists(files.storage_name(hashlib.sha256(big).hexdigest()))


def test_an_upload_cut_off_at_the_limit(settings: Any) -> None:
    """A body whose declared length is within the form's slack, but whose file passes the limit as it streams."""
    settings.MAX_UPLOAD_MB = 1
    handler = files.UploadLimitHandler()
    handler.receive_data_chunk(b"x" * (1024 * 1024), 0)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x", 1024 * 1024)
    assert handler.exceeded


def test_empty_files_duplicate_names_and_other_parties_are_refused(world: World) -> None:
    record = world.record(level=Level.PUBLIC)
    assert _upload(world, record, "empty.txt", b"").status_code == 400
    assert _upload(world, record, "a.pdf", PDF).status_code == 302
    again = _upload(world, record, "a.pdf", PDF)
    assert again.status_code == 400 and "already has a file named" in again.content.decode()
    assert _upload(world, record, "b.pdf", PDF, user=world.cn_member).status_code == 403
    assert _upload(world, record, "b.pdf", PDF, user=world.ru_member).status_code == 403  # not its creator
    hidden = world.record(level=Level.OWNER)
    assert _upload(world, hidden, "b.pdf", PDF, user=world.cn_member).status_code == 404
    assert RecordFile.objects.count() == 1


def test_file_names_are_made_safe() -> None:
    assert files.safe_file_name("C:\\Users\\me\\Desktop\\data.csv") == "data.csv"
    assert files.safe_file_name("../../etc/passwd") == "passwd"
    assert files.safe_file_name("a\x00b\nc.txt") == "abc.txt"
    assert files.safe_file_name("what?<now>.txt") == "what__now_.txt"
    assert files.safe_file_name("骨密度 数据.xlsx") == "骨密度 数据.xlsx"
    long = files.safe_file_name("x" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")
    with pytest.raises(ValidationError):
        files.safe_file_name("../..")


# --- downloads ------------------------------------------------------------------------------------------------------


@pytest.fixture
def body_record(world: World) -> Any:
    return world.record(level=Level.PUBLIC, files={"body.bin": BODY})


def _get(world: World, record: Any, **headers: Any) -> Any:
    return world.client().get(f"/records/{record.reference}/files/body.bin", **headers)


def test_download_is_an_attachment_with_its_sha256_as_etag(world: World, body_record: Any) -> None:
    response = _get(world, body_record)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == BODY
    sha256 = hashlib.sha256(BODY).hexdigest()
    assert response["ETag"] == f'"{sha256}"'
    assert response["Content-Length"] == str(len(BODY)) and response["Accept-Ranges"] == "bytes"
    assert response["Content-Disposition"] == 'attachment; filename="body.bin"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")  # even if opened, it runs nothing
    head = world.client().head(f"/records/{body_record.reference}/files/body.bin")
    assert head.status_code == 200 and head["Content-Length"] == str(len(BODY))
    assert _get(world, body_record, HTTP_IF_NONE_MATCH=f'"{sha256}"').status_code == 304


@pytest.mark.parametrize(
    ("header", "status", "content_range", "expected"),
    [
        ("bytes=0-99", 206, "bytes 0-99/10240", BODY[:100]),
        ("bytes=10000-", 206, "bytes 10000-10239/10240", BODY[10000:]),
        ("bytes=-40", 206, "bytes 10200-10239/10240", BODY[-40:]),
        ("bytes=10200-99999", 206, "bytes 10200-10239/10240", BODY[10200:]),
        ("bytes=10240-", 416, "bytes */10240", b""),
        ("bytes=0-9, 20-29", 200, None, BODY),  # several ranges: the whole file
        ("bytes=50-10", 200, None, BODY),  # an invalid range is ignored
        ("lines=1-2", 200, None, BODY),
    ],
)
def test_range_requests(
    world: World, body_record: Any, header: str, status: int, content_range: str | None, expected: bytes
) -> None:
    response = _get(world, body_record, HTTP_RANGE=header)
    assert response.status_code == status
    assert response.get("Content-Range") == content_range
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == expected


def test_if_range_with_another_version_gets_the_whole_file(world: World, body_record: Any) -> None:
    sha256 = hashlib.sha256(BODY).hexdigest()
    assert _get(world, body_record, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f'"{sha256}"').status_code == 206
    assert _get(world, body_record, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"other"').status_code == 200


def test_parse_range() -> None:
    assert files.parse_range("bytes=0-0", 1) == files.ByteRange(0, 0)
    assert files.parse_range("bytes=-0", 10) == files.UNSATISFIABLE
    assert files.parse_range("bytes=0-", 0) == files.UNSATISFIABLE
    assert files.parse_range("bytes=", 10) is None
    assert files.parse_range("bytes=a-b", 10) is None
    assert files.parse_range("", 10) is None


def test_a_file_of_a_record_one_may_not_see_is_not_found(world: World) -> None:
    record = world.record(level=Level.PARTIES, countries=("CN",), files={"a.pdf": PDF})
    assert world.client(world.cn_member).get(f"/records/{record.reference}/files/a.pdf").status_code == 200
    assert world.client(world.us_member).get(f"/records/{record.reference}/files/a.pdf").status_code == 404
    assert world.client(world.cn_member).get(f"/records/{record.reference}/files/b.pdf").status_code == 404


def test_others_get_the_files_of_the_published_version(world: World) -> None:
    record = world.record(level=Level.PUBLIC, files={"v1.pdf": PDF})
    services.record_file_add(record=record, by=world.ru_liaison, content=ContentFile(b"new data\n", name="v2.txt"))
    old = record.files.get(name="v1.pdf")
    services.record_file_remove(record_file=old, by=world.ru_liaison)
    public = world.client()
    assert public.get(f"/records/{record.reference}/files/v2.txt").status_code == 404  # not published yet
    kept = public.get(f"/records/{record.reference}/files/v1.pdf")  # still in version 1
    assert kept.status_code == 200 and b"".join(kept.streaming_content) == PDF
    owner = world.client(world.ru_member)
    assert owner.get(f"/records/{record.reference}/files/v2.txt").status_code == 200
    assert owner.get(f"/records/{record.reference}/files/v1.pdf").status_code == 404
    services.record_publish(record=record, by=world.ru_liaison)
    assert public.get(f"/records/{record.reference}/files/v2.txt").status_code == 200
    version_files = [f["name"] for f in record.versions.get(number=2).metadata["files"]]
    assert version_files == ["v2.txt"]


def test_removing_a_file_nothing_refers_to_deletes_its_content(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    record = world.record(level=Level.PUBLIC)
    services.record_file_add(record=record, by=world.ru_liaison, content=ContentFile(b"draft only\n", name="d.txt"))
    stored = record.files.get()
    client = world.client(world.ru_liaison)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/records/{record.reference}/files/d.txt/remove/")
    assert response.status_code == 302
    assert not RecordFile.objects.exists()
    assert not default_storage.exists(stored.file.name)
    assert AuditEntry.objects.filter(verb="record.file_removed", object_ref=record.reference).exists()
    assert world.client(world.ru_member).post(f"/records/{record.reference}/files/x.txt/remove/").status_code == 403
