"""The web app over real HTTP (TestClient) on an ingested ledger, on SQLite and PostgreSQL.

Each page is checked against its JSON twin (same facts), the OpenAPI schema is validated, and the access
rules are tried for real: anonymous and viewer writes refused, a forged CSRF token refused, tokens work,
quotes escaped.
"""
from __future__ import annotations

import json
from urllib.parse import quote
import re
import warnings
from html import unescape

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*")

from fastapi.testclient import TestClient  # noqa: E402

from planwatch.services.auth import set_password, create_token  # noqa: E402
from planwatch.store import engine_of  # noqa: E402
from planwatch.web import create_app  # noqa: E402
from planwatch.web.settings import Settings  # noqa: E402

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def app(ledger_url):
    app = create_app(ledger_url, Settings(db_url=ledger_url))
    with app.state.factory.begin() as s:
        set_password(s, "editor1", PASSWORD, "editor")
        set_password(s, "viewer1", PASSWORD, "viewer")
        app.state.tokens = {"editor": create_token(s, "editor1"), "viewer": create_token(s, "viewer1")}
    yield app
    engine_of(app.state.factory).dispose()


@pytest.fixture(scope="module")
def client(app):
    return TestClient(app)


def _html(client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def _json(client, url: str, **kw):
    r = client.get(url, **kw)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return r.json()


def _login(app, name: str = "editor1") -> TestClient:
    """A browser-like client logged in through the login form; returns it with its CSRF token."""
    c = TestClient(app)
    page = c.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = c.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token, "next": "/"},
               follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    c.csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', c.get("/").text).group(1)
    return c


# ---- every page and its JSON twin ---------------------------------------------------------------------

def test_overview_shows_the_plan_table_cards_and_counts_of_its_twin(client):
    data = _json(client, "/api/v1/overview")
    html = _html(client, "/")
    assert data["as_of"] == 2024 and "表2" in data["table"]
    assert len(data["cards"]) >= 20
    names = {c["indicator"] for c in data["cards"]}
    assert {"地区生产总值", "常住人口城镇化率"} <= names
    cards = re.findall(r'<article class="card tone-\w+" data-indicator="([^"]+)"', html)
    assert [unescape(n) for n in cards] == [c["indicator"] for c in data["cards"]]
    for status, n in data["counts"].items():
        assert re.search(rf'data-status="{status}">[^<]*<b>{n}</b>', html), status
    gdp = next(c for c in data["cards"] if c["indicator"] == "地区生产总值")
    assert (gdp["baseline_value"], gdp["target"]["value"], gdp["target"]["target_year"]) == (5745.51, 8200, 2025)
    assert "5745.51" in html and "8200亿元" in html and "地区生产总值" in html


def test_indicator_page_has_the_chart_data_and_evidence_of_its_twin(client):
    cards = _json(client, "/api/v1/overview")["cards"]
    card = next(c for c in cards if c["indicator"] == "常住人口城镇化率")
    data = _json(client, f"/api/v1/indicators/{card['indicator_id']}")
    html = _html(client, f"/indicators/{card['indicator_id']}")
    chart = json.loads(re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', html, re.S).group(1))
    assert chart == data["chart"]
    assert data["chart"]["paths"] and data["chart"]["target_line"] == 78
    for t in data["targets"]:
        assert f'data-claim="{t["target"]["id"]}"' in html
        assert f'/documents/{t["target"]["document_id"]}?claim={t["target"]["id"]}' in html
    for a in data["actuals"]:
        assert f'data-claim="{a["id"]}"' in html
    assert client.get("/api/v1/indicators/999999").status_code == 404


def test_an_indicator_is_shown_one_region_at_a_time_with_links_to_the_others(app, client):
    """A national ledger has the same indicator for thousands of regions: a page lists one region's claims."""
    from sqlalchemy import func, select

    from planwatch.store import ClaimRow

    with app.state.factory() as s:  # an indicator the city and a district both report
        ind = s.execute(select(ClaimRow.indicator_id).where(ClaimRow.indicator_id.is_not(None))
                        .group_by(ClaimRow.indicator_id).having(func.count(func.distinct(ClaimRow.region)) > 1)
                        .order_by(ClaimRow.indicator_id)).scalars().first()
    data = _json(client, f"/api/v1/indicators/{ind}")
    regions = [r["region"] for r in data["regions"]]
    assert len(regions) >= 2 and data["region"] == regions[0]
    other = regions[1]
    there = _json(client, f"/api/v1/indicators/{ind}", params={"region": other})
    assert there["region"] == other and there["regions"] == data["regions"]
    for d, region in ((data, regions[0]), (there, other)):
        claims = [t["target"] for t in d["targets"]] + d["actuals"]
        assert claims and all(c["region"] == region for c in claims)
    counts = {r["region"]: r["targets"] + r["actuals"] for r in data["regions"]}
    assert len(there["targets"]) + len(there["actuals"]) == counts[other]
    html = _html(client, f"/indicators/{ind}")
    assert f'?region={quote(other)}"' in html  # the switch to the other region
    assert client.get(f"/api/v1/indicators/{ind}", params={"region": "无此地区"}).status_code == 404


def test_commitments_of_2024_with_verdicts_and_filters(client):
    data = _json(client, "/api/v1/commitments?year=2024")
    html = _html(client, "/commitments?year=2024")
    assert data["year"] == 2024 and 2024 in data["years"] and data["total"] >= 20
    assert data["counts"].get("met", 0) >= 1
    rows = re.findall(r'<tr data-claim="(\d+)" data-status="(\w+)">', html)
    assert rows == [(str(i["target"]["id"]), i["status"]) for i in data["items"]]
    met = _json(client, "/api/v1/commitments?year=2024&status=met")
    assert met["items"] and all(i["status"] == "met" and i["actuals"] for i in met["items"])
    assert len(re.findall(r'<tr data-claim=', _html(client, "/commitments?year=2024&status=met"))) == len(met["items"])
    q = _json(client, "/api/v1/commitments?year=2024&q=粮食")
    assert q["items"] and all("粮食" in i["target"]["indicator"] + i["target"]["quote"] + i["target"]["section"]
                              for i in q["items"])


def test_documents_and_viewer_highlight_every_claim_of_the_twin(client):
    docs = _json(client, "/api/v1/documents")["documents"]
    html = _html(client, "/documents")
    assert len(docs) == 5
    for d in docs:
        assert f'data-document="{d["id"]}"' in html
    pages = [_json(client, "/api/v1/documents", params={"limit": 2, "offset": o}) for o in (0, 2, 4)]
    assert [d["id"] for p in pages for d in p["documents"]] == [d["id"] for d in docs]  # the same order, paged
    assert {p["total"] for p in pages} == {5} and 'id="documents-pager"' not in html
    plan = next(d for d in docs if d["doc_type"] == "five_year_plan")
    view = _json(client, f"/api/v1/documents/{plan['id']}")
    page = _html(client, f"/documents/{plan['id']}")
    marked = [s for s in view["segments"] if s.get("claim_id")]
    assert len(marked) > 500
    assert len(re.findall(r'<mark id="c\d+" data-claim="\d+" class="t', page)) == sum(s["kind"] == "target" for s in marked)
    assert len(re.findall(r'<mark id="c\d+" data-claim="\d+" class="a', page)) == sum(s["kind"] == "actual" for s in marked)
    assert sum(len(s["text"]) for s in view["segments"]) == view["document"]["chars"]
    # the claim panel, as htmx asks for it, and its twin
    cid = marked[0]["claim_id"]
    panel = client.get(f"/claims/{cid}", headers={"HX-Request": "true"}).text
    detail = _json(client, f"/api/v1/claims/{cid}")
    assert "<html" not in panel and f'data-claim="{cid}"' in panel and detail["claim"]["quote"] in unescape(panel)


def test_review_queue_history_and_search_pages_match_their_twins(client):
    queue = _json(client, "/api/v1/review?limit=50")
    html = _html(client, "/review")
    assert queue["counts"]["unreviewed"] > 0 and queue["items"]
    assert re.findall(r'<tr data-claim="(\d+)">', html) == [str(i["claim"]["id"]) for i in queue["items"]]
    low = _json(client, "/api/v1/review?reason=low_score_link")
    assert all("low_score_link" in i["reasons"] and i["links"] for i in low["items"])
    hist = _json(client, "/api/v1/audit")
    page = _html(client, "/history")
    assert len(re.findall(r"<tr data-audit=", page)) == len(hist["items"])


@pytest.mark.parametrize("term,method", [("规划", "short"), ("亿", "short"), ("GDP", "index"), ("地区生产总值", "index")])
def test_search_short_and_long_terms(client, term, method):
    data = _json(client, "/api/v1/search", params={"q": term})
    assert data["method"] in (("instr", "trgm") if method == "short" else ("fts", "trgm"))
    assert data["documents"], term
    for d in data["documents"]:
        assert all(s["match"] == term for s in d["snippets"]) and d["hits"] >= len(d["snippets"])
    html = _html(client, f"/search?q={term}")
    for d in data["documents"]:
        assert f'data-document="{d["id"]}"' in html
    assert _json(client, "/api/v1/search", params={"q": "不存在的词语组合"})["documents"] == []
    assert _json(client, "/api/v1/search", params={"q": "100%_"})["q"] == "100%_"  # LIKE wildcards are literal


def test_search_pages_through_documents_newest_first_and_claims(client):
    first = _json(client, "/api/v1/search", params={"q": "规划", "limit": 2})
    second = _json(client, "/api/v1/search", params={"q": "规划", "limit": 2, "offset": 2})
    assert first["documents_total"] == second["documents_total"] >= 3
    assert first["claims_total"] == second["claims_total"] > 4
    docs = first["documents"] + second["documents"]
    assert len({d["id"] for d in docs}) == len(docs) == min(4, first["documents_total"])  # none twice, none lost
    years = [d["year"] or 0 for d in docs]
    assert years == sorted(years, reverse=True)  # newest first
    assert not {c["id"] for c in first["claims"]} & {c["id"] for c in second["claims"]}
    html = _html(client, "/search?q=规划&offset=2")
    assert 'id="search-pager"' in html and "offset=0" in html  # the link back to the first page
    assert not first["claims_capped"]  # a handful of claims: counted exactly


def test_search_counts_stop_at_the_cap_and_say_so(client, monkeypatch):
    from planwatch.services import search

    exact = _json(client, "/api/v1/search", params={"q": "规划"})
    assert exact["claims_total"] > 3 and not exact["claims_capped"]
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    capped = _json(client, "/api/v1/search", params={"q": "规划", "limit": 20})  # another URL: not cached
    assert capped["claims_total"] == 3 and capped["claims_capped"]
    assert len(capped["claims"]) == min(20, exact["claims_total"])  # the page itself is not cut by the cap
    assert "(3+)" in _html(client, "/search?q=规划&offset=0")


def test_english_switch_and_cookie(client):
    r = client.get("/?lang=en")
    assert "Overview" in r.text and r.cookies.get("planwatch_lang") == "en"
    assert "总览" in client.get("/?lang=zh").text


# ---- the API description ------------------------------------------------------------------------------

def test_openapi_schema_validates_and_documents_every_api_route(app, client):
    from openapi_spec_validator import validate

    spec = _json(client, "/api/v1/openapi.json")
    validate(spec)
    documented = {(p, m.upper()) for p, ops in spec["paths"].items() for m in ops}
    for route in app.routes:
        if getattr(route, "path", "").startswith("/api/v1/") and hasattr(route, "methods"):
            if route.path in ("/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/oauth2-redirect"):
                continue
            for m in route.methods - {"HEAD", "OPTIONS"}:
                assert (route.path, m) in documented, (route.path, m)
    schemas = spec["components"]["schemas"]
    assert {"OverviewPublic", "IndicatorPublic", "CommitmentsPublic", "SearchPublic", "ClaimPublic"} <= set(schemas)


# ---- access ---------------------------------------------------------------------------------------------

def _a_target(client) -> dict:
    return next(i["target"] for i in _json(client, "/api/v1/commitments?year=2024")["items"])


def test_writes_without_a_role_are_refused(app, client):
    cid = _a_target(client)["id"]
    assert client.post(f"/api/v1/claims/{cid}/confirm", json={}).status_code == 401
    assert client.post(f"/claims/{cid}/confirm", data={}).status_code == 401
    bad = client.post(f"/api/v1/claims/{cid}/confirm", json={}, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    viewer = {"Authorization": f"Bearer {app.state.tokens['viewer']}"}
    assert client.post(f"/api/v1/claims/{cid}/confirm", json={}, headers=viewer).status_code == 403
    assert _json(client, f"/api/v1/claims/{cid}")["claim"]["review_status"] == "extracted"


def test_forged_or_missing_csrf_is_refused_and_the_right_one_works(app, client):
    cid = _a_target(client)["id"]
    browser = _login(app)
    assert browser.post(f"/claims/{cid}/confirm", data={"csrf_token": "forged"}).status_code == 403
    assert browser.post(f"/claims/{cid}/confirm", data={}).status_code == 403
    assert browser.post(f"/api/v1/claims/{cid}/confirm", json={}, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert _json(client, f"/api/v1/claims/{cid}")["claim"]["review_status"] == "extracted"
    r = browser.post(f"/claims/{cid}/confirm", data={}, headers={"X-CSRF-Token": browser.csrf, "HX-Request": "true"})
    assert r.status_code == 200 and f'data-claim="{cid}"' in r.text
    assert _json(client, f"/api/v1/claims/{cid}")["claim"]["review_status"] == "confirmed"
    # a wrong password is refused without a session
    c = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
    assert c.post("/login", data={"name": "editor1", "password": "wrong", "csrf_token": token}).status_code == 401


def test_token_edit_changes_the_verdict_and_is_audited(app, client):
    met = _json(client, "/api/v1/commitments?year=2024&status=met")["items"][0]
    target, actual = met["target"], met["actuals"][0]
    auth = {"Authorization": f"Bearer {app.state.tokens['editor']}"}
    assert f'data-claim="{target["id"]}"' in _html(client, "/commitments?year=2024&status=met")  # now cached
    # the result was far below the target: the verdict must turn to not_met
    r = client.post(f"/api/v1/claims/{target['id']}/edit", headers=auth,
                    json={"changes": {"value": actual["value"] * 10 + 100}, "version": target["version"],
                          "reason": "test: typo"})
    assert r.status_code == 200, r.text
    detail = r.json()
    assert detail["claim"]["review_status"] == "corrected"
    assert detail["assessment"]["status"] == "not_met"
    assert detail["history"][0]["what"] == "claim.edit" and detail["history"][0]["who"] == "editor1"
    # the commitments read above were cached for that ledger version: the edit must show at once, in both twins
    ids = lambda status: {i["target"]["id"] for i in _json(client, f"/api/v1/commitments?year=2024&status={status}")["items"]}
    assert target["id"] not in ids("met") and target["id"] in ids("not_met")
    assert f'data-claim="{target["id"]}"' not in _html(client, "/commitments?year=2024&status=met")
    stale = client.post(f"/api/v1/claims/{target['id']}/edit", headers=auth,
                        json={"changes": {"value": 1}, "version": target["version"]})
    assert stale.status_code == 409
    hist = _json(client, "/api/v1/audit?entity=claim")
    assert any(h["entity_id"] == target["id"] and h["reason"] == "test: typo" for h in hist["items"])
    assert "test: typo" in _html(client, "/history")
    o = client.post(f"/api/v1/targets/{target['id']}/override", headers=auth,
                    json={"status": "basically_met", "reason": "口径调整"})
    assert o.status_code == 200 and o.json()["status"] == "basically_met"
    assert client.post(f"/api/v1/targets/{target['id']}/override", headers=auth,
                       json={"status": "met", "reason": ""}).status_code == 400


def test_private_site_needs_a_login_to_read(app, ledger_url):
    private = create_app(ledger_url, Settings(db_url=ledger_url, private=True))
    try:
        c = TestClient(private)
        assert c.get("/api/v1/overview").status_code == 401
        r = c.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        assert c.get("/login").status_code == 200
        ok = c.get("/api/v1/overview", headers={"Authorization": f"Bearer {app.state.tokens['viewer']}"})
        assert ok.status_code == 200
    finally:
        engine_of(private.state.factory).dispose()


# ---- escaping ---------------------------------------------------------------------------------------------

def test_a_quote_with_a_script_tag_renders_as_text(db, db_url, tmp_path):
    from planwatch.services.ingest import ingest_paths
    from planwatch.store.models import ClaimRow

    doc = tmp_path / "report.txt"
    doc.write_text("南昌市2024年政府工作报告\n二、2024年工作安排\n地区生产总值增长5%左右<script>alert(1)</script>。\n",
                   encoding="utf-8")
    assert ingest_paths(db, [doc]).ok
    with db.begin() as s:
        claim = s.query(ClaimRow).first()
        claim.quote = "<script>alert('q')</script>5%"
        claim.indicator = "<img src=x onerror=alert(2)>"
        cid, did = claim.id, claim.document_id
    app = create_app(db_url, Settings(db_url=db_url))
    c = TestClient(app)
    for url in (f"/claims/{cid}", f"/documents/{did}", f"/documents/{did}?claim={cid}", "/search?q=script",
                "/review", "/commitments"):
        html = c.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html, url
    assert "&lt;script&gt;alert(" in c.get(f"/claims/{cid}").text
    assert c.get(f"/api/v1/claims/{cid}").json()["claim"]["quote"] == "<script>alert('q')</script>5%"
    engine_of(app.state.factory).dispose()
