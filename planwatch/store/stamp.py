"""The ledger's version stamp: one row (`ledger_stamp`, id 1) whose `version` goes up in every committed
transaction that wrote through an ORM session — an ingest, a re-assessment, a review edit, an import.

Caches of what the ledger shows (rendered pages, the overview, search results) are keyed by it, so they are
right until the next write and cost one primary-key lookup to check. Counting rows or taking max() over
growing tables (what the key used to be) costs more with every document; this stays constant.

The stamp is written in the same transaction as the change, just before its commit: a reader sees the new
version exactly when it sees the new data, never before (a cache filled between the two would keep stale
data under a new key). On PostgreSQL concurrent writers wait for each other only between that UPDATE and
their commit. Writes through a plain Connection (the ingest job queue) are operational state and do not
count.
"""
from __future__ import annotations

from sqlalchemy import event, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from .models import LedgerStamp

_WROTE = "planwatch.wrote"  # key in Session.info: this transaction changed something


@event.listens_for(Session, "do_orm_execute")
def _statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:  # bulk statements: session.execute(insert(…))
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, flush_context) -> None:
    if session.new or session.dirty or session.deleted:  # still the pre-flush sets here
        session.info[_WROTE] = True


@event.listens_for(Session, "before_commit")
def _stamp(session: Session) -> None:
    session.flush()  # pending objects count as writes of this transaction
    if session.info.pop(_WROTE, False):
        session.execute(update(LedgerStamp).where(LedgerStamp.id == 1)
                        .values(version=LedgerStamp.version + 1))
        session.info.pop(_WROTE, None)  # the stamp's own UPDATE is not a new change


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction) -> None:
    session.info.pop(_WROTE, None)


def ledger_stamp(session: Session) -> int:
    """The current version of the ledger (0 for a database nothing was written to yet)."""
    return session.scalar(select(LedgerStamp.version).where(LedgerStamp.id == 1)) or 0
