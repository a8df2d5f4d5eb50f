"""Importing records from files (docs/records-import.md): read → validate every entry → match → write in batches.

``importer`` runs an import; ``entries`` validates one entry and reads release levels.
"""

from spacebridge.records.importing.entries import Vocabulary, problem_text, release_parse
from spacebridge.records.importing.importer import (
    BATCH_SIZE,
    Importer,
    ImportReport,
    RowProblem,
    entry_count,
    import_entries,
    import_records,
)

__all__ = [
    "BATCH_SIZE",
    "ImportReport",
    "Importer",
    "RowProblem",
    "Vocabulary",
    "entry_count",
    "import_entries",
    "import_records",
    "problem_text",
    "release_parse",
]
