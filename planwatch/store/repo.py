"""Repositories: small functions over a Session. Callers own the transaction (`with factory.begin()`)."""
from __future__ import annotations

import hashlib
import secrets
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..model import Claim, Indicator
from .models import (
    Audit, AssessmentRow, ClaimRow, DocumentRow, IndicatorRow, LinkRow, Region, User, ROLES,
)

# Claim fields a row shares with the `Claim` dataclass (everything but `doc`, which is the document's name).
CLAIM_FIELDS = (
    "start", "end", "quote", "kind", "measure", "indicator", "region", "value", "value_max", "unit",
    "comparator", "qualifier", "period", "target_year", "baseline_value", "baseline_year", "attribute",
    "flags", "source", "rule", "section",
)


# ---- claims -------------------------------------------------------------------------------------------

def claim_values(claim: Claim) -> dict[str, Any]:
    """Column values of a row for `claim` (JSON-safe: flags as a list)."""
    values = {f: getattr(claim, f) for f in CLAIM_FIELDS}
    values["flags"] = list(claim.flags)
    if values["value"] != values["value"]:  # NaN: a qualitative target has no value (SQLite would store NULL anyway)
        values["value"] = None
    return values


def claim_from_row(row: ClaimRow) -> Claim:
    values = {f: getattr(row, f) for f in CLAIM_FIELDS}
    values["flags"] = tuple(row.flags or ())
    if values["value"] is None:
        values["value"] = float("nan")
    return Claim(doc=row.document.name, **values)


def claim_record(row: ClaimRow) -> dict[str, Any]:
    """The extract contract of a stored claim, plus its id and review state (for corrections)."""
    rec = claim_from_row(row).as_record()
    rec.update(id=row.id, review_status=row.review_status, version=row.version)
    return rec


def get_claim(session: Session, claim_id: int) -> ClaimRow | None:
    return session.get(ClaimRow, claim_id)


def list_claims(session: Session, *, doc: str | None = None, kind: str | None = None,
                review_status: str | None = None, include_rejected: bool = True) -> list[ClaimRow]:
    q = select(ClaimRow).join(ClaimRow.document)
    if doc:
        q = q.where((DocumentRow.name == doc) | (DocumentRow.name.startswith(doc + "_")))
    if kind:
        q = q.where(ClaimRow.kind == kind)
    if review_status:
        q = q.where(ClaimRow.review_status == review_status)
    if not include_rejected:
        q = q.where(ClaimRow.review_status != "rejected")
    return list(session.scalars(q.order_by(DocumentRow.name, ClaimRow.start, ClaimRow.id)))


# ---- documents and regions ----------------------------------------------------------------------------

def document_by_sha(session: Session, sha256: str) -> DocumentRow | None:
    return session.scalar(select(DocumentRow).where(DocumentRow.sha256 == sha256))


def document_by_source(session: Session, source: str) -> DocumentRow | None:
    """The stored version of the file at `source` (the newest if several), to update in place."""
    return session.scalars(select(DocumentRow).where(DocumentRow.source == source)
                           .order_by(DocumentRow.id.desc())).first()


def list_documents(session: Session) -> list[DocumentRow]:
    return list(session.scalars(select(DocumentRow).order_by(DocumentRow.name)))


def ensure_region(session: Session, name: str, *, level: str = "", parent: str | None = None) -> Region | None:
    if not name:
        return None
    row = session.scalar(select(Region).where(Region.name == name))
    if row is None:
        row = Region(name=name, level=level)
        session.add(row)
    elif level and not row.level:
        row.level = level
    if parent and parent != name and row.parent_id is None:
        row.parent = ensure_region(session, parent)
    return row


# ---- indicators ---------------------------------------------------------------------------------------

def _indicator_values(ind: Indicator) -> dict[str, Any]:
    return dict(name=ind.name, aliases=list(ind.aliases), unit=ind.unit, measure=ind.measure,
                direction=ind.direction, category=ind.category, attribute=ind.attribute,
                needs_review=ind.needs_review)


def ensure_indicators(session: Session, inds: Iterable[Indicator]) -> dict[str, IndicatorRow]:
    """Rows of catalog indicators by code: one query for those stored, new ones added (catalog changes update)."""
    wanted = {ind.code: ind for ind in inds}
    with session.no_autoflush:
        rows = {r.code: r for r in session.scalars(select(IndicatorRow).where(IndicatorRow.code.in_(wanted)))} \
            if wanted else {}
    for code, ind in wanted.items():
        values = _indicator_values(ind)
        row = rows.get(code)
        if row is None:
            row = rows[code] = IndicatorRow(code=code, **values)
            session.add(row)
        else:
            for k, v in values.items():
                if getattr(row, k) != v:
                    setattr(row, k, v)
    return rows


def ensure_indicator(session: Session, ind: Indicator) -> IndicatorRow:
    return ensure_indicators(session, [ind])[ind.code]


# ---- links and assessments ----------------------------------------------------------------------------

def get_link(session: Session, target_id: int, actual_id: int) -> LinkRow | None:
    return session.scalar(select(LinkRow).where(LinkRow.target_id == target_id, LinkRow.actual_id == actual_id))


def links_of(session: Session, target_id: int) -> list[LinkRow]:
    return list(session.scalars(select(LinkRow).where(LinkRow.target_id == target_id).order_by(LinkRow.id)))


def get_assessment(session: Session, target_id: int, as_of: int | None = None) -> AssessmentRow | None:
    """The assessment of a target as of a year, or its latest one when `as_of` is None."""
    q = select(AssessmentRow).where(AssessmentRow.target_id == target_id)
    if as_of is not None:
        q = q.where(AssessmentRow.as_of == as_of)
    return session.scalars(q.order_by(AssessmentRow.as_of.desc())).first()


# ---- users and audit ----------------------------------------------------------------------------------

def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ensure_user(session: Session, name: str, role: str = "editor") -> User:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    row = session.scalar(select(User).where(User.name == name))
    if row is None:
        row = User(name=name, role=role)
        session.add(row)
    return row


def issue_token(session: Session, name: str, role: str = "editor") -> str:
    """A new API token for `name` (created if needed). Only its hash is stored: show it once."""
    user = ensure_user(session, name, role)
    token = secrets.token_urlsafe(32)
    user.token_hash = _hash_token(token)
    return token


def user_for_token(session: Session, token: str) -> User | None:
    return session.scalar(select(User).where(User.token_hash == _hash_token(token)))


def add_audit(session: Session, *, who: str, what: str, entity: str, entity_id: int | None,
              before: Any = None, after: Any = None, reason: str = "") -> Audit:
    row = Audit(who=who, what=what, entity=entity, entity_id=entity_id, before=before, after=after, reason=reason)
    session.add(row)
    return row


def audit_trail(session: Session, *, entity: str | None = None, entity_id: int | None = None,
                limit: int | None = None) -> list[Audit]:
    q = select(Audit)
    if entity:
        q = q.where(Audit.entity == entity)
    if entity_id is not None:
        q = q.where(Audit.entity_id == entity_id)
    q = q.order_by(Audit.id.desc())
    if limit:
        q = q.limit(limit)
    return list(session.scalars(q))


def ids(rows: Iterable[Any]) -> list[int]:
    return [r.id for r in rows]
