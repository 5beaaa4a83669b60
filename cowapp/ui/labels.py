"""One table of the words for an issue's status and for where it stands with the central
service desk, shared by every screen that shows them (overview, queue, detail, sync strip).

The texts are English source texts marked with ``QT_TRANSLATE_NOOP`` and translated where they
are shown (contexts "IssueStatus" and "IssueSyncState"), so a language switch needs no rebuild
of the tables.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from cowapp.ui.i18n import arg

# str(): PySide6 types QT_TRANSLATE_NOOP as returning object.
STATUS_LABELS: dict[str, str] = {
    "new": str(QT_TRANSLATE_NOOP("IssueStatus", "New")),
    "in_progress": str(QT_TRANSLATE_NOOP("IssueStatus", "In progress")),
    "resolved": str(QT_TRANSLATE_NOOP("IssueStatus", "Resolved at the bedside")),
    "instructed": str(QT_TRANSLATE_NOOP("IssueStatus", "Instructions given")),
    "no_fault_found": str(QT_TRANSLATE_NOOP("IssueStatus", "No fault found")),
    "escalated": str(QT_TRANSLATE_NOOP("IssueStatus", "Escalated")),
    "remote_resolved": str(QT_TRANSLATE_NOOP("IssueStatus", "Resolved by IT")),
    "remote_closed": str(QT_TRANSLATE_NOOP("IssueStatus", "Closed by IT")),
}
"""`IssueStatus` values → source text, in the order the overview lists them."""

SYNC_STATE_LABELS: dict[str, str] = {
    "local": str(QT_TRANSLATE_NOOP("IssueSyncState", "On this cart")),
    "queued": str(QT_TRANSLATE_NOOP("IssueSyncState", "Queued")),
    "sending": str(QT_TRANSLATE_NOOP("IssueSyncState", "Sending")),
    "synced": str(QT_TRANSLATE_NOOP("IssueSyncState", "Synced")),
    "needs_attention": str(QT_TRANSLATE_NOOP("IssueSyncState", "Needs attention")),
}
"""`IssueSyncState` values → source text."""


def status_label(status: str) -> str:
    """An issue status (``resolved``) as people say it, in the installed language."""
    return QCoreApplication.translate("IssueStatus", STATUS_LABELS[status])


def sync_state_label(state: str) -> str:
    """An issue's sync state (``queued``) as people say it, in the installed language."""
    return QCoreApplication.translate("IssueSyncState", SYNC_STATE_LABELS[state])


def age_text(created_at: datetime, now: datetime) -> str:
    """How long ago something happened, short: "5 min", "3 h", "2 d" (translated; the context
    is the queue's, where these words were first used)."""
    minutes = max(0, int((now - created_at).total_seconds() // 60))
    # Abbreviations have no plural, so %1 rather than %n: no plural forms to translate.
    if minutes < 60:
        return arg(QCoreApplication.translate("IssueQueueModel", "%1 min"), minutes)
    if minutes < 48 * 60:
        return arg(QCoreApplication.translate("IssueQueueModel", "%1 h"), minutes // 60)
    return arg(QCoreApplication.translate("IssueQueueModel", "%1 d"), minutes // (24 * 60))
