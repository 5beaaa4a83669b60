"""SQLAlchemy 2 table definitions: the schema that the alembic migrations must reproduce exactly.

Attribute names on `IssueRow` equal the field names of `cowapp.domain.issue.Issue`, which lets the
repository map between them without a hand-written line per field. Times are stored as naive UTC
and handed out timezone-aware (`UTCDateTime`). A test compares these models with the migrations.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out; naive UTC text in SQLite (sorts right)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime: use UTC-aware times")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)

    def bind_processor(self, dialect: Dialect) -> Callable[[datetime | None], Any] | None:
        """On SQLite, the text SQLAlchemy would store, written in one step.

        The composed path (`process_bind_param`, then `DateTime` formatting a dict of the
        fields) takes ~5 µs a value, and an intake save binds six; this takes ~2 µs.
        tests/unit/storage/test_models.py compares the two on any aware time.
        """
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        def process(value: datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is None:
                raise ValueError("refusing to store a naive datetime: use UTC-aware times")
            # An aware UTC time's isoformat ends in "+00:00"; the rest is SQLite's DATETIME text.
            return value.astimezone(UTC).isoformat(" ", "microseconds")[:-6]

        return process


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so batch migrations can name constraints."""

    metadata = MetaData(naming_convention=NAMING)


class IssueRow(Base):
    """One issue; see `cowapp.domain.issue.Issue` for the meaning of each column."""

    __tablename__ = "issues"
    __table_args__ = (
        Index("ix_issues_queue", "status", "priority", "created_at"),
        Index("ix_issues_created_at", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    reference: Mapped[str] = mapped_column(String(7), unique=True)
    cart_id: Mapped[str] = mapped_column(String(40))
    ward: Mapped[str] = mapped_column(String(40))
    reporter: Mapped[str] = mapped_column(String(12))
    category: Mapped[str] = mapped_column(String(40))
    subcategory: Mapped[str | None] = mapped_column(String(60))
    issue_type: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    error_text: Mapped[str] = mapped_column(Text)
    room: Mapped[str] = mapped_column(String(40))
    asset_tag: Mapped[str] = mapped_column(String(40))
    care_impact: Mapped[str | None] = mapped_column(String(12))
    affected: Mapped[str | None] = mapped_column(String(16))
    impact: Mapped[int] = mapped_column(Integer)
    urgency: Mapped[int] = mapped_column(Integer)
    priority: Mapped[int] = mapped_column(Integer)
    patient_safety: Mapped[bool] = mapped_column(Boolean)
    vim_reference: Mapped[str] = mapped_column(String(30))
    privacy_incident: Mapped[bool] = mapped_column(Boolean)
    golive_blocking: Mapped[bool] = mapped_column(Boolean)
    workaround_available: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(12))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(12))
    resolution_code: Mapped[str | None] = mapped_column(String(20))
    resolution_notes: Mapped[str] = mapped_column(Text)
    minutes_spent: Mapped[int | None] = mapped_column(Integer)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_by: Mapped[str | None] = mapped_column(String(12))
    escalation_group: Mapped[str | None] = mapped_column(String(60))
    escalation_reason: Mapped[str] = mapped_column(Text)
    reopen_count: Mapped[int] = mapped_column(Integer)
    duplicate_of: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("issues.id"))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("issues.id"))
    remote_ticket: Mapped[str | None] = mapped_column(String(60))
    remote_number: Mapped[str | None] = mapped_column(String(60))
    remote_status: Mapped[str | None] = mapped_column(String(40))
    remote_assignee: Mapped[str | None] = mapped_column(String(120))
    remote_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EventRow(Base):
    """One timeline step of an issue (codes only, no free text)."""

    __tablename__ = "issue_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    issue_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("issues.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(200))


class NoteRow(Base):
    """A free-text note on an issue."""

    __tablename__ = "notes"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    issue_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("issues.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    author: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)


class OutboxRow(Base):
    """One thing the central service must be told; the payload is built when it is sent."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_issue", "state", "issue_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    issue_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("issues.id"))
    event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("issue_events.id"))
    operation: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set by mark_sending, cleared with the outcome: still set means a dead run's request.
    request_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SyncStateRow(Base):
    """Small named values the sync engine keeps across runs (read-back cursor, pause reason)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditRow(Base):
    """Append-only, hash-chained audit entry (triggers in the migration refuse UPDATE/DELETE)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    issue_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    detail: Mapped[str] = mapped_column(String(200))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class TechnicianRow(Base):
    """A technician who may sign in with a personal PIN (kept only as a salted scrypt hash)."""

    __tablename__ = "technicians"

    staff_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    pin_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    failed_attempts: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean)
    # technician or manager; rows from before roles existed are technicians
    role: Mapped[str] = mapped_column(String(12), server_default="technician")


class KnownIssueRow(Base):
    """A known issue: the symptom and self-help steps in Dutch and English (search: FTS5 table
    ``known_issues_fts``, created by the migration and kept in step by `KnownIssueStore`)."""

    __tablename__ = "known_issues"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    source: Mapped[str] = mapped_column(String(20))
    title_nl: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    symptom_nl: Mapped[str] = mapped_column(Text)
    symptom_en: Mapped[str] = mapped_column(Text)
    steps_nl: Mapped[str] = mapped_column(Text)
    steps_en: Mapped[str] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(Text)
    revision: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(12))
    from_issue: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("issues.id"))
    active: Mapped[bool] = mapped_column(Boolean)


class KnownIssueReportRow(Base):
    """ "Ik heb dit ook": a real issue (synced and counted as any other) linked to a known issue."""

    __tablename__ = "known_issue_reports"

    issue_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("issues.id"), primary_key=True)
    known_issue_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("known_issues.id"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeflectionRow(Base):
    """ "Opgelost": a problem a known issue's self-help solved; counted, never synced."""

    __tablename__ = "known_issue_deflections"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    known_issue_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("known_issues.id"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    cart_id: Mapped[str] = mapped_column(String(40))
    ward: Mapped[str] = mapped_column(String(40))
    category: Mapped[str | None] = mapped_column(String(40))
