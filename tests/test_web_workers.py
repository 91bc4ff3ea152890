"""Scale-out: several `planwatch serve` workers on one ledger (SQLite and PostgreSQL) answer alike, and a write
through one worker is seen by every worker — the per-process page caches follow the shared ledger version."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import quote
from concurrent.futures import ThreadPoolExecutor

import pytest

CLI = [sys.executable, "-m", "planwatch"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.read()


@pytest.fixture(scope="module")
def served(ledger_url):
    subprocess.run(CLI + ["users", "add", "ops", "--role", "editor", "--password", "a-long-passphrase",
                          "--db", ledger_url], check=True, capture_output=True)
    token = subprocess.run(CLI + ["tokens", "create", "ops", "--db", ledger_url], check=True, capture_output=True,
                           text=True).stdout.strip()
    port = _free_port()
    proc = subprocess.Popen(CLI + ["serve", "--host", "127.0.0.1", "--port", str(port), "--db", ledger_url,
                                   "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                _get(base + "/api/v1/me")
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stdout.read().decode(errors="replace"))
                time.sleep(0.1)
        yield base, token
    finally:
        proc.terminate()
        proc.wait(15)


def test_two_workers_answer_alike_and_see_each_others_writes(served):
    base, token = served
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(_get, [base + "/api/v1/overview"] * 40))
    assert {status for status, _ in answers} == {200}
    assert len({body for _, body in answers}) == 1  # every worker gives the same overview

    commitments = json.loads(_get(base + "/api/v1/commitments?year=2024&q=" + quote("城中村"))[1])
    item = next(i for i in commitments["items"] if i["target"]["value"] == 27)
    assert item["status"] == "not_met"
    claim_id = item["target"]["id"]
    # the commitments page, cached by each worker for anonymous visitors, before the write
    with ThreadPoolExecutor(8) as pool:
        before = list(pool.map(_get, [base + "/commitments?year=2024&q=" + quote("城中村")] * 16))
    assert all("未完成" in body.decode() for _, body in before)

    req = urllib.request.Request(
        base + f"/api/v1/claims/{claim_id}/edit", method="POST",
        data=json.dumps({"changes": {"value": 26}, "reason": "核对原文"}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 200

    with ThreadPoolExecutor(8) as pool:
        after = list(pool.map(_get, [base + f"/api/v1/claims/{claim_id}"] * 16))
    assert {json.loads(body)["claim"]["value"] for _, body in after} == {26.0}
    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(_get, [base + "/api/v1/commitments?year=2024&q=" + quote("城中村")] * 16))
    statuses = {next(i["status"] for i in json.loads(b)["items"] if i["target"]["id"] == claim_id) for _, b in pages}
    assert statuses == {"met"}  # 26 against 26 now, whichever worker answers
