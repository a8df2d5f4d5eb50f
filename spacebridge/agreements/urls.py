from django.urls import path

from spacebridge.agreements.views import commitments, pages, reports, signing, texts

app_name = "agreements"

urlpatterns = [
    path("", pages.agreement_list, name="list"),
    path("new/", pages.agreement_create, name="create"),
    path("report/", reports.report, name="report"),
    path("calendar.ics", reports.calendar, name="calendar"),
    path("calendar/<str:secret>.ics", reports.personal_calendar, name="personal_calendar"),
    path("keys/", signing.keys, name="keys"),
    path("keys/<int:pk>/revoke/", signing.key_revoke, name="key_revoke"),
    path("<str:reference>/", pages.agreement_detail, name="detail"),
    path("<str:reference>/terms/", pages.agreement_terms, name="terms"),
    path("<str:reference>/status/", pages.agreement_transition, name="transition"),
    path("<str:reference>/parties/", pages.party_add, name="party_add"),
    path("<str:reference>/signatories/", pages.signatory_add, name="signatory_add"),
    path("<str:reference>/related/", pages.related_add, name="related_add"),
    path("<str:reference>/texts/", texts.text_side_by_side, name="texts"),
    path("<str:reference>/texts/new/", texts.text_add, name="text_add"),
    path("<str:reference>/texts/versions/", texts.text_versions, name="versions"),
    path("<str:reference>/texts/<str:language>/confirm/", texts.text_confirm, name="text_confirm"),
    path("<str:reference>/sign/", signing.sign_page, name="sign"),
    path("<str:reference>/scans/<int:pk>/", signing.scan_download, name="scan"),
    path("<str:reference>/bundle.zip", signing.bundle_download, name="bundle"),
    path("<str:reference>/commitments/new/", commitments.commitment_create, name="commitment_create"),
    path("<str:reference>/commitments/<int:pk>/status/", commitments.commitment_state, name="commitment_state"),
    path("<str:reference>/commitments/<int:pk>/links/", commitments.commitment_link, name="commitment_link"),
]
