"""Loaded by pytest before Django starts (``-p spacebridge.core.pytest_env``): tests get their own data folder and
never write into the developer's ``./spacebridge-data``."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("SPACEBRIDGE_DATA_DIR", tempfile.mkdtemp(prefix="spacebridge-test-"))
os.environ.setdefault("SPACEBRIDGE_EMAIL_URL", "console:")
