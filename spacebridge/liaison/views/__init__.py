"""Pages of liaison, one module per subject: series and slots, meetings, minutes and decisions, actions and
calendars. Load → check access → one service call → render."""
