"""Pages of agreements, by subject: the agreement, its texts, its signatures, its commitments, reports."""
