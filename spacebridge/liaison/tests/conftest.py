from __future__ import annotations

from typing import Any

import pytest

from spacebridge.liaison.tests.factories import World, build_world


@pytest.fixture
def world(db: Any, settings: Any) -> World:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return build_world()
