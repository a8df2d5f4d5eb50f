from django.urls import path, register_converter

from spacebridge.records.views import concepts, editing, files, imports, records, requests, versions

app_name = "records"


class RecordReference:
    """``SB-2026-000123``: only record references reach the record pages, so other paths under /records/ (feeds,
    concepts, …) never fall into them."""

    regex = r"[Ss][Bb]-\d{4}-\d{6}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(RecordReference, "record_ref")

urlpatterns = [
    path("", records.record_list, name="list"),
    path("new/", editing.record_create, name="create"),
    path("import/", imports.record_import, name="import"),
    path("request/", requests.access_request_create, name="access_request"),
    path("request/sent/", requests.access_request_sent, name="access_request_sent"),
    path("requests/", requests.access_requests, name="access_requests"),
    path("requests/<int:pk>/", requests.access_request_detail, name="access_request_detail"),
    path("transparency/", requests.transparency, name="transparency"),
    path("concepts/", concepts.concept_list, name="concepts"),
    path("concepts/<str:code>/", concepts.concept_detail, name="concept"),
    path("<record_ref:reference>/", records.record_detail, name="detail"),
    path("<record_ref:reference>/edit/", editing.record_edit, name="edit"),
    path("<record_ref:reference>/publish/", editing.record_publish, name="publish"),
    path("<record_ref:reference>/withdraw/", editing.record_withdraw, name="withdraw"),
    path("<record_ref:reference>/release/", editing.record_release, name="release"),
    path("<record_ref:reference>/release/approve/", editing.record_approve_export, name="approve_export"),
    path("<record_ref:reference>/versions/", versions.record_versions, name="versions"),
    path("<record_ref:reference>/files/", files.file_upload, name="file_upload"),
    path("<record_ref:reference>/files/<str:name>", files.file_download, name="file_download"),
    path("<record_ref:reference>/files/<str:name>/remove/", files.file_remove, name="file_remove"),
]
