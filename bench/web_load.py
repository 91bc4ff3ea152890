"""Latency of the dashboard under load: p50/p95/p99 of the overview, an indicator page and search, with 20
concurrent clients against `planwatch serve` (uvicorn) on 127.0.0.1. A benchmark that prints figures, not a test.

    .venv/bin/python bench/web_load.py [--clients 20] [--requests 400] [--seconds 60] [--workers 1] [--db URL]

Without --db it ingests samples/nanchang into a temporary SQLite file first. Each page gets at most
--requests requests and --seconds seconds; the script stops the server and exits by itself.
"""
from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


async def _load(base: str, path: str, clients: int, total: int, seconds: float) -> dict:
    lat: list[float] = []
    errors = 0
    left = total
    deadline = time.perf_counter() + seconds

    async def client(c: httpx.AsyncClient):
        nonlocal left, errors
        while left > 0 and time.perf_counter() < deadline:
            left -= 1
            t0 = time.perf_counter()
            r = await c.get(base + path)
            lat.append((time.perf_counter() - t0) * 1000)
            errors += r.status_code != 200

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=30, limits=limits) as c:
        t0 = time.perf_counter()
        await asyncio.gather(*(client(c) for _ in range(clients)))
        wall = time.perf_counter() - t0
    return {"n": len(lat), "errors": errors, "rps": len(lat) / wall, "p50": statistics.median(lat),
            "p95": _pct(lat, 95), "p99": _pct(lat, 99), "max": max(lat)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=400, help="per page")
    ap.add_argument("--seconds", type=float, default=60, help="per page, at most")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--db")
    args = ap.parse_args()
    cli = [sys.executable, "-m", "planwatch"]
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if not db:
            db = f"sqlite:///{tmp}/planwatch.db"
            subprocess.run(cli + ["ingest", str(ROOT / "samples" / "nanchang"), "--db", db, "--as-of", "2024"],
                           check=True, capture_output=True)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(cli + ["serve", "--port", str(port), "--db", db, "--workers", str(args.workers)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(200):
                try:
                    overview = urllib.request.urlopen(base + "/api/v1/overview", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise SystemExit("the server did not start")
            import json

            ind = next(c["indicator_id"] for c in json.loads(overview)["cards"] if c["indicator_id"])
            pages = [("overview", "/"), ("indicator", f"/indicators/{ind}"), ("overview JSON", "/api/v1/overview"),
                     ("search 2 chars", "/search?q=规划"), ("search 6 chars", "/search?q=地区生产总值")]
            print(f"{args.clients} clients, ≤{args.requests} requests or ≤{args.seconds:g} s per page, "
                  f"{args.workers} worker(s), {db.split('://')[0]}")
            print(f"{'page':<16}{'n':>5}{'err':>5}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
            for name, path in pages:
                asyncio.run(_load(base, path, 2, 10, 10))  # warm-up
                r = asyncio.run(_load(base, path, args.clients, args.requests, args.seconds))
                print(f"{name:<16}{r['n']:>5}{r['errors']:>5}{r['rps']:>8.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}"
                      f"{r['p99']:>9.1f}{r['max']:>9.1f}")
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
