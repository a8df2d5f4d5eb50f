"""The demo's search index: every kind of the demo is searchable once `spacebridge demo` has loaded."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from spacebridge.search.models import SearchDocument
from spacebridge.search.registry import kinds
from spacebridge.search.selectors import search

pytestmark = pytest.mark.django_db


def test_the_demo_indexes_every_kind_and_the_type_facet_names_them() -> None:
    from spacebridge.demo import demo_load

    assert demo_load()
    indexed = set(SearchDocument.objects.values_list("kind", flat=True).distinct())
    assert indexed == set(kinds()), indexed
    officer = get_user_model().objects.get(username="secretariat")
    with translation.override("zh-hans"):
        result = search(user=officer, query="", mode="lexical")
    labels = {facet.value: facet.label for facet in result.facets["type"]}
    assert {"group", "decision", "agreement", "project", "event", "news"} <= set(labels), labels
    assert labels["group"] == "工作组" and labels["agreement"] == "协议"
