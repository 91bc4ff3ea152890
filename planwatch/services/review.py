"""Use case: human corrections — edit, confirm or reject a claim; add or remove a link; override a verdict.

Every change is written with who / when / before / after to the audit table, in the caller's transaction.
Claims a human touched are marked (`human`, `review_status`) and re-extraction keeps them (store.documents);
links a human decided (`manual` / `confirmed` / `rejected`) and overrides survive reassessment
(services.assessments). Optimistic locking: pass the `version` you read; if the row changed since, the
change raises `ConflictError` instead of silently overwriting someone else's edit.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..errors import PlanwatchError
from ..store.models import AssessmentRow, ClaimRow, LinkRow, utcnow
from ..store.repo import add_audit, claim_from_row, claim_record, claim_values, ensure_user, get_assessment, get_link

KINDS = ("target", "actual")
MEASURES = ("level", "growth_rate", "avg_growth", "share", "ratio", "count", "count_new", "cumulative",
            "cumulative_change", "change", "rank")
COMPARATORS = ("=", "~", ">=", "<=", "range")
ATTRIBUTES = ("", "expected", "binding")
ASSESSMENT_STATUSES = ("met", "basically_met", "not_met", "not_reported", "not_comparable", "achieved", "ahead",
                       "on_track", "lagging", "not_assessable")

_FLOATS = ("value", "value_max", "baseline_value")
_INTS = ("target_year", "baseline_year")
_TEXTS = ("kind", "measure", "indicator", "region", "unit", "comparator", "qualifier", "period", "attribute", "note")
EDITABLE = _FLOATS + _INTS + _TEXTS + ("flags",)
_CHOICES = {"kind": KINDS, "measure": MEASURES, "comparator": COMPARATORS, "attribute": ATTRIBUTES}


class ReviewError(PlanwatchError):
    """A correction that cannot be applied: unknown id, invalid value, missing reason."""


class ConflictError(ReviewError):
    """The row changed since the version the editor read: reload it and apply the change again."""


def _coerce(name: str, raw: Any) -> Any:
    if name in _FLOATS or name in _INTS:
        if raw is None or raw == "":
            if name == "value":
                raise ReviewError("value cannot be empty")
            return None
        try:
            return int(raw) if name in _INTS else float(raw)
        except (TypeError, ValueError):
            raise ReviewError(f"{name}: {raw!r} is not a number") from None
    if name == "flags":
        items = raw.split(",") if isinstance(raw, str) else list(raw or ())
        return [str(f).strip() for f in items if str(f).strip()]
    value = "" if raw is None else str(raw).strip()
    if name in _CHOICES and value not in _CHOICES[name]:
        raise ReviewError(f"{name}: {value!r} is not one of {', '.join(c or '(empty)' for c in _CHOICES[name])}")
    return value


def _editor(session: Session, user: str) -> str:
    if not user:
        raise ReviewError("say who makes the change (--user NAME)")
    u = ensure_user(session, user)
    if u.role == "viewer":
        raise ReviewError(f"user {user!r} is a viewer and cannot change the ledger")
    return u.name


def _check_version(kind: str, row: Any, version: int | None) -> None:
    if version is not None and row.version != version:
        raise ConflictError(f"{kind} {row.id} changed since you read it (version {version}, now {row.version}): "
                            "reload it and apply your change again")


def _flush(session: Session, kind: str, row_id: int) -> None:
    """Write now, so a concurrent change surfaces here as a ConflictError."""
    try:
        session.flush()
    except StaleDataError as e:
        raise ConflictError(f"{kind} {row_id} was changed by someone else meanwhile: reload it and retry") from e


def _claim(session: Session, claim_id: int) -> ClaimRow:
    row = session.get(ClaimRow, claim_id)
    if row is None:
        raise ReviewError(f"no claim {claim_id}")
    return row


def _indicator_id(session: Session, phrase: str, measure: str, unit: str) -> int | None:
    """Row id of the catalog indicator of a corrected phrase (created when new)."""
    try:
        from ..indicators import resolve_indicator
    except ImportError:
        return None
    from ..store.repo import ensure_indicator

    if not phrase:
        return None
    ind = ensure_indicator(session, resolve_indicator(phrase, measure, unit))
    session.flush()
    return ind.id


def _keep_extracted(row: ClaimRow) -> None:
    """Snapshot what the machine extracted when a human first touches a claim: re-extraction recognises the
    reviewed number by it (store/documents.py). Untouched claims need no copy of themselves."""
    if row.extracted is None and not row.human:
        row.extracted = claim_values(claim_from_row(row))


def edit_claim(session: Session, claim_id: int, changes: dict[str, Any], *, user: str,
               version: int | None = None, reason: str = "") -> ClaimRow:
    """Change fields of a claim (value, kind, measure, indicator …); marks it corrected by a human."""
    who = _editor(session, user)
    row = _claim(session, claim_id)
    _check_version("claim", row, version)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ReviewError(f"cannot edit {', '.join(sorted(unknown))} (editable: {', '.join(EDITABLE)})")
    values = {k: _coerce(k, v) for k, v in changes.items()}
    changed = {k: v for k, v in values.items() if getattr(row, k) != v}
    if not changed:
        return row
    before = claim_record(row)
    if changed.keys() & {"indicator", "measure", "unit"}:  # resolved before the claim changes: one UPDATE
        new = {k: changed.get(k, getattr(row, k)) for k in ("indicator", "measure", "unit")}
        row.indicator_id = _indicator_id(session, new["indicator"], new["measure"], new["unit"])
    _keep_extracted(row)  # after the flush above, so the snapshot and the correction are one UPDATE
    for k, v in changed.items():
        setattr(row, k, v)
    row.human, row.review_status = True, "corrected"
    row.corrected_fields = sorted(set(row.corrected_fields or ()) | (changed.keys() - {"note"}))
    _flush(session, "claim", row.id)
    add_audit(session, who=who, what="claim.edit", entity="claim", entity_id=row.id, before=before,
              after=claim_record(row), reason=reason)
    return row


def _set_review(session: Session, claim_id: int, status: str, *, user: str, version: int | None,
                reason: str) -> ClaimRow:
    who = _editor(session, user)
    row = _claim(session, claim_id)
    _check_version("claim", row, version)
    # Confirming a corrected claim keeps "corrected": it says more about how the values came to be.
    new_status = "corrected" if status == "confirmed" and row.review_status == "corrected" else status
    before = claim_record(row)
    _keep_extracted(row)
    row.human, row.review_status = True, new_status
    _flush(session, "claim", row.id)
    add_audit(session, who=who, what=f"claim.{'confirm' if status == 'confirmed' else 'reject'}", entity="claim",
              entity_id=row.id, before=before, after=claim_record(row), reason=reason)
    return row


def confirm_claim(session: Session, claim_id: int, *, user: str, version: int | None = None,
                  reason: str = "") -> ClaimRow:
    """A human says the extraction is right; re-extraction keeps it as it is."""
    return _set_review(session, claim_id, "confirmed", user=user, version=version, reason=reason)


def reject_claim(session: Session, claim_id: int, *, user: str, version: int | None = None,
                 reason: str = "") -> ClaimRow:
    """Not a claim (a date, a code, a misreading): dropped from links and verdicts, never extracted again."""
    return _set_review(session, claim_id, "rejected", user=user, version=version, reason=reason)


def _link_state(row: LinkRow | None) -> dict | None:
    if row is None:
        return None
    return {"target_id": row.target_id, "actual_id": row.actual_id, "status": row.status, "method": row.method,
            "comparable": row.comparable, "reason": row.reason}


def add_link(session: Session, target_id: int, actual_id: int, *, user: str, comparable: bool = True,
             reason: str = "") -> LinkRow:
    """Link an actual to a target by hand (or confirm an automatic link)."""
    who = _editor(session, user)
    target, actual = _claim(session, target_id), _claim(session, actual_id)
    if target.kind != "target" or actual.kind != "actual":
        raise ReviewError(f"a link goes from a target to an actual: claim {target_id} is a {target.kind}, "
                          f"claim {actual_id} is a {actual.kind}")
    row = get_link(session, target_id, actual_id)
    before = _link_state(row)
    if row is None:
        row = LinkRow(target_id=target_id, actual_id=actual_id, method="manual", score=1.0, created_by=who)
        session.add(row)
    row.status = "confirmed" if row.status == "auto" and comparable == row.comparable else "manual"
    row.comparable = comparable
    if reason or not comparable:
        row.reason = reason
    _flush(session, "link", row.id or 0)
    add_audit(session, who=who, what="link.add", entity="link", entity_id=row.id, before=before,
              after=_link_state(row), reason=reason)
    return row


def remove_link(session: Session, target_id: int, actual_id: int, *, user: str, reason: str = "") -> LinkRow:
    """Unlink an actual from a target. The pair is kept as `rejected` so re-linking does not bring it back."""
    who = _editor(session, user)
    _claim(session, target_id)  # both must exist
    _claim(session, actual_id)
    row = get_link(session, target_id, actual_id)
    before = _link_state(row)
    if row is None:
        row = LinkRow(target_id=target_id, actual_id=actual_id, method="manual", score=0.0, created_by=who)
        session.add(row)
    row.status = "rejected"
    if reason:
        row.reason = reason
    _flush(session, "link", row.id or 0)
    add_audit(session, who=who, what="link.remove", entity="link", entity_id=row.id, before=before,
              after=_link_state(row), reason=reason)
    return row


def _override_state(row: AssessmentRow) -> dict:
    return {"target_id": row.target_id, "as_of": row.as_of, "status": row.status,
            "override_status": row.override_status, "override_reason": row.override_reason}


def override_assessment(session: Session, target_id: int, status: str | None, *, reason: str, user: str,
                        as_of: int | None = None, version: int | None = None) -> AssessmentRow:
    """Replace the computed verdict of a target with a human one (status None clears the override).

    Without `as_of`, the target's latest assessment is overridden (one is created for the latest document
    year when the target was never assessed, e.g. a qualitative target only a human can judge).
    """
    who = _editor(session, user)
    target = _claim(session, target_id)
    if target.kind != "target":
        raise ReviewError(f"claim {target_id} is an {target.kind}: only targets are assessed")
    if status is not None and status not in ASSESSMENT_STATUSES:
        raise ReviewError(f"status {status!r} is not one of {', '.join(ASSESSMENT_STATUSES)}")
    if status is not None and not reason.strip():
        raise ReviewError("an override needs a reason (--reason)")
    row = get_assessment(session, target_id, as_of)
    if row is None:
        from .assessments import default_as_of

        row = AssessmentRow(target_id=target_id, as_of=as_of or default_as_of(session), status="not_assessable")
        session.add(row)
        session.flush()
    _check_version("assessment", row, version)
    before = _override_state(row)
    row.override_status, row.override_reason = status, reason.strip() if status else ""
    row.override_by, row.override_at = (who, utcnow()) if status else ("", None)
    _flush(session, "assessment", row.id)
    add_audit(session, who=who, what="assessment.override" if status else "assessment.clear_override",
              entity="assessment", entity_id=row.id, before=before, after=_override_state(row), reason=reason)
    return row
