from __future__ import annotations

from datetime import datetime

from ninja import Schema


class ChainOut(Schema):
    entries: int
    head_id: int | None
    head_hash: str | None
    head_at: datetime | None
    intact: bool | None
    broken_entry: int | None = None
    reason: str = ""
