"""Read-side use cases of the dashboard: each page and its JSON twin call the same function here.

Every function takes a Session and plain values and returns plain JSON-ready dicts (codes in English;
Chinese labels are the templates' business). Claims always carry their document id and character span, so
each number on every page links back to its quote in the document viewer.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..errors import PlanwatchError
from ..store.models import AssessmentRow, Audit, ClaimRow, DocumentRow, IndicatorRow, LinkRow
from ..store.stamp import ledger_stamp

# An automatic link scored below this goes to the review queue: the rule that made it was a loose one.
LOW_LINK_SCORE = 0.95
# Measures that make the headline of an indicator card (a level to reach), before growth rates and changes.
HEADLINE_MEASURES = ("level", "share", "ratio", "count", "cumulative", "rank")
REVIEW_REASONS = ("low_score_link", "new_indicator", "unreviewed")
CONTEXT_CHARS = 60


class NotFound(PlanwatchError):
    """No such document, claim or indicator."""


# ---- records -----------------------------------------------------------------------------------------

def claim_year(row: ClaimRow) -> int | None:
    """The single year a claim speaks of: a target's year, or an actual's period when it is one year."""
    if row.kind == "target":
        return row.target_year
    m = re.fullmatch(r"(\d{4})(?:年)?", (row.period or "").strip())
    return int(m.group(1)) if m else None


def claim_public(row: ClaimRow) -> dict[str, Any]:
    doc = row.document
    return {
        "id": row.id, "version": row.version, "kind": row.kind, "measure": row.measure,
        "indicator": row.indicator, "indicator_id": row.indicator_id, "region": row.region,
        "value": row.value, "value_max": row.value_max, "unit": row.unit, "comparator": row.comparator,
        "qualifier": row.qualifier, "period": row.period, "target_year": row.target_year, "year": claim_year(row),
        "baseline_value": row.baseline_value, "baseline_year": row.baseline_year, "attribute": row.attribute,
        "flags": list(row.flags or ()), "source": row.source, "section": row.section, "rule": row.rule,
        "review_status": row.review_status, "quote": row.quote, "start": row.start, "end": row.end,
        "document_id": row.document_id, "document": doc.name, "document_title": doc.title,
        "document_year": doc.year, "doc_type": doc.doc_type,
    }


def assessment_public(row: AssessmentRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    override = None
    if row.override_status:
        override = {"status": row.override_status, "reason": row.override_reason, "by": row.override_by,
                    "at": row.override_at.isoformat() if row.override_at else None}
    return {
        "id": row.id, "version": row.version, "target_id": row.target_id, "as_of": row.as_of,
        "status": row.effective_status, "computed_status": row.status, "override": override,
        "explanation": row.explanation, "progress": row.progress, "time_progress": row.time_progress,
        "required_growth": row.required_growth, "forecast": row.forecast or "", "numbers": row.numbers or {},
        "thresholds": row.thresholds or {}, "rule": row.rule, "actual_ids": list(row.actual_ids or ()),
    }


def audit_public(a: Audit) -> dict[str, Any]:
    return {"id": a.id, "who": a.who, "at": a.at.isoformat(), "what": a.what, "entity": a.entity,
            "entity_id": a.entity_id, "reason": a.reason, "before": a.before, "after": a.after}


def _claims(session: Session, q) -> list[ClaimRow]:
    return list(session.scalars(q.options(joinedload(ClaimRow.document))))


def _claims_by_id(session: Session, ids: Iterable[int]) -> dict[int, ClaimRow]:
    ids = set(ids)
    if not ids:
        return {}
    return {c.id: c for c in _claims(session, select(ClaimRow).where(ClaimRow.id.in_(ids)))}


def latest_as_of(session: Session) -> int | None:
    return session.scalar(select(func.max(AssessmentRow.as_of)))


def _assessments(session: Session, target_ids: Iterable[int], as_of: int | None) -> dict[int, AssessmentRow]:
    ids = set(target_ids)
    if not ids or as_of is None:
        return {}
    return {a.target_id: a for a in session.scalars(
        select(AssessmentRow).where(AssessmentRow.as_of == as_of, AssessmentRow.target_id.in_(ids)))}


def _latest(actuals: list[ClaimRow]) -> ClaimRow | None:
    """The newest actual (by the year it speaks of, then the newest document)."""
    return max(actuals, key=lambda c: (claim_year(c) or 0, c.document.year or 0, c.id), default=None)


# ---- overview ----------------------------------------------------------------------------------------

def status_counts(session: Session, as_of: int) -> dict[str, int]:
    """Verdicts of a year by status (a human override counts as its status), most frequent first; counted
    by the database: a national ledger has hundreds of thousands."""
    status = func.coalesce(AssessmentRow.override_status, AssessmentRow.status)
    rows = session.execute(
        select(status, func.count()).join(AssessmentRow.target)
        .where(AssessmentRow.as_of == as_of, ClaimRow.review_status != "rejected").group_by(status))
    return dict(sorted(rows, key=lambda kv: -kv[1]))


def _plan_table(session: Session) -> tuple[DocumentRow | None, str, list[ClaimRow]]:
    """The main-indicator table (表2) of the newest five-year plan: its table section whose targets reach
    furthest (the 十四五 table, not the 十三五 review table 表1), with its target claims in text order."""
    plan = session.scalars(select(DocumentRow).where(DocumentRow.doc_type == "five_year_plan")
                           .order_by(DocumentRow.year.desc(), DocumentRow.id.desc())).first()
    if plan is None:
        return None, "", []
    rows = _claims(session, select(ClaimRow).where(
        ClaimRow.document_id == plan.id, ClaimRow.source == "table", ClaimRow.kind == "target",
        ClaimRow.review_status != "rejected").order_by(ClaimRow.start))
    by_section: dict[str, list[ClaimRow]] = defaultdict(list)
    for r in rows:
        by_section[r.section].append(r)
    if not by_section:
        return plan, "", []
    section = max(by_section, key=lambda s: (max(c.target_year or 0 for c in by_section[s]), len(by_section[s])))
    return plan, section, by_section[section]


def ledger_version(session: Session) -> tuple:
    """A key that changes whenever the ledger does (store/stamp.py: every writing transaction raises it), in
    one primary-key lookup; the database URL keeps two ledgers in one process apart."""
    return (str(session.get_bind().url), ledger_stamp(session))


def overview(session: Session, as_of: int | None = None) -> dict[str, Any]:
    """Counts by status and the plan's main indicators as cards: baseline → latest actual → target."""
    as_of = as_of or latest_as_of(session)
    plan, section, targets = _plan_table(session)
    assessed = _assessments(session, (t.id for t in targets), as_of)
    evidence = _claims_by_id(session, (i for a in assessed.values() for i in a.actual_ids or ()))
    groups: dict[str, list[ClaimRow]] = {}
    for t in targets:
        groups.setdefault(t.indicator, []).append(t)
    cards = []
    for name, rows in groups.items():
        head = next((r for r in rows if r.measure in HEADLINE_MEASURES), rows[0])
        a = assessed.get(head.id)
        latest = _latest([evidence[i] for i in (a.actual_ids if a else []) if i in evidence])
        cards.append({
            "indicator": name, "indicator_id": head.indicator_id, "unit": head.unit, "attribute": head.attribute,
            "baseline_value": head.baseline_value, "baseline_year": head.baseline_year,
            "latest": claim_public(latest) if latest else None,
            "target": claim_public(head), "assessment": assessment_public(a),
            "status": a.effective_status if a else "not_assessable",
            "others": [{"target": claim_public(r), "assessment": assessment_public(assessed.get(r.id)),
                        "status": assessed[r.id].effective_status if r.id in assessed else "not_assessable"}
                       for r in rows if r is not head],
        })
    n_docs = session.scalar(select(func.count()).select_from(DocumentRow)) or 0
    # all claims by kind (read from the kind index alone), less the few rejected ones (from their own index):
    # one filtered pass over millions of rows cost 0.4 s at 10,000 documents, these two 0.06 s
    n_claims = Counter(dict(session.execute(select(ClaimRow.kind, func.count()).group_by(ClaimRow.kind)).all()))
    n_claims.subtract(dict(session.execute(select(ClaimRow.kind, func.count())
                                           .where(ClaimRow.review_status == "rejected").group_by(ClaimRow.kind)).all()))
    return {
        "as_of": as_of, "counts": status_counts(session, as_of) if as_of else {},
        "documents": n_docs, "targets": n_claims.get("target", 0), "actuals": n_claims.get("actual", 0),
        "plan": {"id": plan.id, "title": plan.title, "name": plan.name, "year": plan.year} if plan else None,
        "table": section.split(" / ")[-1] if section else "", "cards": cards,
    }


# ---- indicator ---------------------------------------------------------------------------------------

def indicator_regions(session: Session, indicator_id: int) -> list[dict[str, Any]]:
    """The regions an indicator has claims for, with their counts: most targets first, then most actuals, then
    the region named first in the ledger."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"targets": 0, "actuals": 0, "first": 0})
    for region, kind, n, first in session.execute(
            select(ClaimRow.region, ClaimRow.kind, func.count(), func.min(ClaimRow.document_id))
            .where(ClaimRow.indicator_id == indicator_id, ClaimRow.review_status != "rejected")
            .group_by(ClaimRow.region, ClaimRow.kind)):
        c = counts[region or ""]
        c["targets" if kind == "target" else "actuals"] += n
        c["first"] = min(c["first"] or first, first)
    order = sorted(counts.items(), key=lambda kv: (-kv[1]["targets"], -kv[1]["actuals"], kv[1]["first"], kv[0]))
    return [{"region": r, "targets": c["targets"], "actuals": c["actuals"]} for r, c in order]


def indicator_detail(session: Session, indicator_id: int, as_of: int | None = None,
                     region: str | None = None) -> dict[str, Any]:
    """An indicator in one region: its actuals over time, its targets and target path, each with quote and
    position; `regions` lists the others (a national ledger holds the same indicator for thousands of them).
    Default region: the one most targets are set for."""
    ind = session.get(IndicatorRow, indicator_id)
    if ind is None:
        raise NotFound(f"no indicator {indicator_id}")
    as_of = as_of or latest_as_of(session)
    regions = indicator_regions(session, indicator_id)
    if region is None:
        region = regions[0]["region"] if regions else ""
    elif region not in {r["region"] for r in regions}:
        raise NotFound(f"indicator {indicator_id} has no claims for region {region!r}")
    rows = _claims(session, select(ClaimRow).where(ClaimRow.indicator_id == indicator_id,
                                                   ClaimRow.review_status != "rejected", ClaimRow.region == region)
                   .order_by(ClaimRow.document_id, ClaimRow.start))
    targets = [r for r in rows if r.kind == "target"]
    actuals = [r for r in rows if r.kind == "actual"]
    assessed = _assessments(session, (t.id for t in targets), as_of)
    points: dict[int, ClaimRow] = {}
    for a in sorted(actuals, key=lambda c: (c.document.year or 0, c.source != "table", c.id)):
        y = claim_year(a)
        if y is not None and a.region == region and a.value is not None:
            points[y] = a  # a newer document's figure for the same year replaces an older one (revisions)
    # Group by unit: a level in 亿元 and a rate in % never share an axis.
    unit = Counter(r.unit for r in (targets or actuals)).most_common(1)[0][0] if rows else ind.unit
    series = [{"year": y, "value": c.value, "claim_id": c.id} for y, c in sorted(points.items()) if c.unit == unit]
    paths, target_points = [], []
    for t in targets:
        if t.region != region or t.unit != unit or t.target_year is None or t.value is None:
            continue
        if t.baseline_value is not None and t.baseline_year is not None and t.measure in HEADLINE_MEASURES:
            paths.append({"claim_id": t.id, "from_year": t.baseline_year, "from_value": t.baseline_value,
                          "to_year": t.target_year, "to_value": t.value})
        else:
            target_points.append({"year": t.target_year, "value": t.value, "claim_id": t.id})
    main = max(paths, key=lambda p: p["to_year"], default=None)
    return {
        "indicator": {"id": ind.id, "code": ind.code, "name": ind.name, "aliases": list(ind.aliases or ()),
                      "unit": ind.unit, "measure": ind.measure, "direction": ind.direction,
                      "category": ind.category, "attribute": ind.attribute, "needs_review": ind.needs_review},
        "as_of": as_of, "region": region, "regions": regions, "unit": unit,
        "chart": {"series": series, "paths": paths, "targets": target_points,
                  "target_line": main["to_value"] if main else None},
        "targets": [{"target": claim_public(t), "assessment": assessment_public(assessed.get(t.id)),
                     "status": assessed[t.id].effective_status if t.id in assessed else "not_assessable"}
                    for t in sorted(targets, key=lambda c: (c.target_year or 0, c.id))],
        "actuals": [claim_public(a) for a in sorted(actuals, key=lambda c: (claim_year(c) or 0, c.id))],
    }


# ---- commitments of a year ---------------------------------------------------------------------------

def commitments(session: Session, year: int | None = None, *, status: str | None = None, q: str | None = None,
                as_of: int | None = None) -> dict[str, Any]:
    """The targets a work report set for a year, each with the result reported, the verdict and evidence."""
    as_of = as_of or latest_as_of(session)
    years = sorted({y for (y,) in session.execute(
        select(ClaimRow.target_year).join(ClaimRow.document).where(
            DocumentRow.doc_type == "work_report", ClaimRow.kind == "target", ClaimRow.target_year.is_not(None))
        .distinct())}, reverse=True)
    year = year or (years[0] if years else None)
    rows = _claims(session, select(ClaimRow).join(ClaimRow.document).where(
        DocumentRow.doc_type == "work_report", ClaimRow.kind == "target", ClaimRow.target_year == year,
        ClaimRow.review_status != "rejected").order_by(DocumentRow.id, ClaimRow.start)) if year else []
    assessed = _assessments(session, (r.id for r in rows), as_of)
    evidence = _claims_by_id(session, (i for a in assessed.values() for i in a.actual_ids or ()))
    items = []
    for r in rows:
        a = assessed.get(r.id)
        items.append({"target": claim_public(r), "assessment": assessment_public(a),
                      "status": a.effective_status if a else "not_assessable",
                      "actuals": [claim_public(evidence[i]) for i in (a.actual_ids if a else []) if i in evidence]})
    counts = dict(Counter(i["status"] for i in items).most_common())
    if status:
        items = [i for i in items if i["status"] == status]
    if q:
        items = [i for i in items if any(q in (i["target"][k] or "") for k in ("indicator", "quote", "section"))]
    return {"year": year, "years": years, "as_of": as_of, "status": status or "", "q": q or "",
            "counts": counts, "total": sum(counts.values()), "items": items}


# ---- documents ---------------------------------------------------------------------------------------

def documents(session: Session, *, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """The documents in the ledger, newest year first, `limit` of them from `offset`, with their claim counts
    (counted for the page only: a ledger of 10,000 documents has millions of claims)."""
    total = session.scalar(select(func.count()).select_from(DocumentRow)) or 0
    rows = session.execute(select(DocumentRow, func.length(DocumentRow.original))
                           .order_by(DocumentRow.year.desc().nulls_last(), DocumentRow.name, DocumentRow.id)
                           .offset(offset).limit(limit)).all()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for doc_id, kind, n in session.execute(select(ClaimRow.document_id, ClaimRow.kind, func.count())
                                           .where(ClaimRow.review_status != "rejected",
                                                  ClaimRow.document_id.in_([d.id for d, _ in rows] or [-1]))
                                           .group_by(ClaimRow.document_id, ClaimRow.kind)):
        counts[doc_id][kind] = n
    return {"total": total, "limit": limit, "offset": offset, "documents": [{
        "id": d.id, "name": d.name, "title": d.title, "doc_type": d.doc_type, "year": d.year,
        "region": d.region_name, "format": d.format, "chars": n or 0,
        "targets": counts[d.id].get("target", 0), "actuals": counts[d.id].get("actual", 0),
    } for d, n in rows]}


def document_view(session: Session, document_id: int) -> dict[str, Any]:
    """A document's text cut into plain segments and claim segments (by span), with its sections."""
    doc = session.get(DocumentRow, document_id)
    if doc is None:
        raise NotFound(f"no document {document_id}")
    text = doc.original or ""
    claims = [c for c in doc.claims if c.review_status != "rejected"]
    segments, pos = [], 0
    for c in sorted(claims, key=lambda c: (c.start, -c.end)):
        if c.start < pos or c.end > len(text) or c.start >= c.end:
            continue  # overlapping or out-of-text spans (anchor lost) are listed, not highlighted
        if c.start > pos:
            segments.append({"text": text[pos:c.start]})
        segments.append({"text": text[c.start:c.end], "claim_id": c.id, "kind": c.kind,
                         "review_status": c.review_status})
        pos = c.end
    if pos < len(text):
        segments.append({"text": text[pos:]})
    return {
        "document": {"id": doc.id, "name": doc.name, "title": doc.title, "doc_type": doc.doc_type,
                     "year": doc.year, "region": doc.region_name, "source": doc.source, "chars": len(text)},
        "sections": [{"title": s.title, "level": s.level, "start": s.start, "end": s.end} for s in doc.sections],
        "segments": segments,
        "claims": [claim_public(c) for c in sorted(claims, key=lambda c: c.start)],
    }


# ---- one claim ---------------------------------------------------------------------------------------

def _link_public(link: LinkRow, other: ClaimRow | None) -> dict[str, Any]:
    return {"id": link.id, "target_id": link.target_id, "actual_id": link.actual_id, "status": link.status,
            "method": link.method, "score": link.score, "comparable": link.comparable, "reason": link.reason,
            "claim": claim_public(other) if other is not None else None}


def claim_detail(session: Session, claim_id: int, as_of: int | None = None) -> dict[str, Any]:
    """A claim with its context, links (either way), assessment and the audit history around it."""
    row = session.get(ClaimRow, claim_id)
    if row is None:
        raise NotFound(f"no claim {claim_id}")
    text = row.document.original or ""
    side = LinkRow.target_id if row.kind == "target" else LinkRow.actual_id
    links = list(session.scalars(select(LinkRow).where(side == claim_id).order_by(LinkRow.score.desc(), LinkRow.id)))
    others = _claims_by_id(session, (l.actual_id if row.kind == "target" else l.target_id for l in links))
    assessment = None
    if row.kind == "target":
        q = select(AssessmentRow).where(AssessmentRow.target_id == claim_id)
        q = q.where(AssessmentRow.as_of == as_of) if as_of else q.order_by(AssessmentRow.as_of.desc())
        assessment = session.scalars(q).first()
    entities = [("claim", [claim_id]), ("link", [l.id for l in links])]
    if assessment is not None:
        entities.append(("assessment", [assessment.id]))
    audits = [a for entity, ids in entities if ids for a in session.scalars(
        select(Audit).where(Audit.entity == entity, Audit.entity_id.in_(ids)))]
    return {
        "claim": claim_public(row),
        "context_before": text[max(0, row.start - CONTEXT_CHARS):row.start],
        "context_after": text[row.end:row.end + CONTEXT_CHARS],
        "links": [_link_public(l, others.get(l.actual_id if row.kind == "target" else l.target_id)) for l in links],
        "assessment": assessment_public(assessment),
        "history": [audit_public(a) for a in sorted(audits, key=lambda a: a.id, reverse=True)],
    }


# ---- review queue and history ------------------------------------------------------------------------

def review_queue(session: Session, reason: str | None = None, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Claims a person should look at: loosely linked, under a new (uncatalogued) indicator, or unreviewed.

    Ordered by reason (loose links first), targets before actuals, then by document position.
    """
    low = defaultdict(list)
    for link in session.scalars(select(LinkRow).where(LinkRow.status == "auto", LinkRow.score < LOW_LINK_SCORE)):
        low[link.target_id].append(link)
    rows = _claims(session, select(ClaimRow).options(joinedload(ClaimRow.indicator_row)).where(
        (ClaimRow.review_status == "extracted") | ClaimRow.id.in_(list(low) or [-1])))
    items = []
    for r in rows:
        reasons = []
        if r.id in low:
            reasons.append("low_score_link")
        if r.review_status == "extracted" and r.indicator_row is not None and r.indicator_row.needs_review:
            reasons.append("new_indicator")
        if r.review_status == "extracted":
            reasons.append("unreviewed")
        items.append((r, reasons))
    counts = {k: sum(1 for _, rs in items if k in rs) for k in REVIEW_REASONS}
    if reason:
        items = [(r, rs) for r, rs in items if reason in rs]
    items.sort(key=lambda x: (REVIEW_REASONS.index(x[1][0]), x[0].kind != "target", x[0].document_id, x[0].start))
    page = items[offset:offset + limit]
    others = _claims_by_id(session, (l.actual_id for r, _ in page for l in low.get(r.id, [])))
    return {"reason": reason or "", "counts": counts, "total": len(items), "limit": limit, "offset": offset,
            "items": [{"claim": claim_public(r), "reasons": rs,
                       "links": [_link_public(l, others.get(l.actual_id)) for l in low.get(r.id, [])]}
                      for r, rs in page]}


def history(session: Session, *, entity: str | None = None, entity_id: int | None = None,
            limit: int = 100) -> dict[str, Any]:
    """The audit rows, newest first: who changed what, when, before and after, and why."""
    q = select(Audit)
    if entity:
        q = q.where(Audit.entity == entity)
    if entity_id is not None:
        q = q.where(Audit.entity_id == entity_id)
    return {"entity": entity or "", "entity_id": entity_id,
            "items": [audit_public(a) for a in session.scalars(q.order_by(Audit.id.desc()).limit(limit))]}
