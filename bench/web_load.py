"""Latency of the dashboard under load: p50/p95/p99 of the overview, indicator pages and searches (pages and
their JSON twins), with 20 concurrent clients against `planwatch serve` (uvicorn) on 127.0.0.1, and the ratio of
each p95 to that of a static file served by the same server (the floor of the HTTP stack). A benchmark that
prints figures, not a test.

    .venv/bin/python bench/web_load.py [--clients 20] [--requests 2000] [--seconds 60] [--workers 1] [--db URL]

Without --db it ingests samples/nanchang into a temporary SQLite file first; for the 10,000-document ledger,
keep the database of bench/ingest_scale.py (--keep) and pass it. Reads are cached per ledger version
(web/cache.py), so the first request of each page, made alone before the load, is printed too: that is what a
visitor waits for right after a write. Search cycles --terms distinct terms (the overview's indicators and
common words). The clients speak HTTP/1.1 over asyncio streams, cheap enough to share the 2 cores with the
server. Each page gets at most --requests requests and --seconds seconds; the script stops the server itself.
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
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 100


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str) -> int:
    """One GET on a kept-alive connection; returns the status. Plain HTTP/1.1 over asyncio streams: the load
    client shares the 2 cores with the server, and this costs it a fraction of what an HTTP library would."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
        elif name.strip().lower() == b"transfer-encoding" and b"chunked" in value.lower():
            length = -1
    if length > 0:
        await reader.readexactly(length)
    elif length < 0:  # chunked: read chunk by chunk up to the empty one
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _load(port: int, paths: list[str], clients: int, total: int, seconds: float) -> dict:
    """`clients` connections, each sending its next request when the last answer is read, cycling `paths`."""
    lat: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal sent, errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while sent < total and time.perf_counter() < deadline:
                path = paths[sent % len(paths)]
                sent += 1
                t0 = time.perf_counter()
                status = await _get(reader, writer, f"127.0.0.1:{port}", path)
                lat.append((time.perf_counter() - t0) * 1000)
                errors += status != 200
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - t0
    return {"n": len(lat), "errors": errors, "rps": len(lat) / wall, "p50": statistics.median(lat),
            "p95": _pct(lat, 95), "p99": _pct(lat, 99), "max": max(lat)}


def _cold(base: str, paths: list[str]) -> list[float]:
    """Latency (ms) of each path asked once, alone: with a fresh server these are built, not cached."""
    out = []
    for path in paths:
        t0 = time.perf_counter()
        urllib.request.urlopen(base + path, timeout=120).read()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _q(path: str) -> str:
    return urllib.parse.quote(path, safe="/?=&")


def run(args, base: str, port: int, db: str) -> None:
    import json

    # First requests of a fresh server build what later ones take from the cache: measured alone, once each.
    cold_overview, cold_json = _cold(base, ["/", "/api/v1/overview"])
    cards = json.loads(urllib.request.urlopen(base + "/api/v1/overview").read())["cards"]
    ids = [c["indicator_id"] for c in cards if c["indicator_id"]]
    names = list(dict.fromkeys(c["indicator"] for c in cards if len(c["indicator"]) >= 2))
    terms = (names + ["规划", "粮食", "增长", "亿元", "人口", "全区", "全县", "目标"])[: args.terms]
    searches = [_q(f"/search?q={t}") for t in terms]
    cold_ind = _cold(base, [f"/indicators/{ids[0]}"])[0]
    cold_search = _cold(base, searches)
    print(f"ledger: {db.split('://')[0]}, {len(cards)} overview cards; {args.workers} worker(s); "
          f"{args.clients} clients, ≤{args.requests} requests or ≤{args.seconds:g} s per page")
    print(f"first request, alone (built, not cached): overview {cold_overview:.0f} ms, overview JSON "
          f"{cold_json:.0f} ms, indicator {cold_ind:.0f} ms, search median {statistics.median(cold_search):.0f} ms "
          f"/ max {max(cold_search):.0f} ms over {len(searches)} terms")
    pages = [("static file (ref)", ["/static/app.css"]), ("overview", ["/"]),
             ("overview JSON", ["/api/v1/overview"]),
             ("indicator", [f"/indicators/{i}" for i in ids[:10]]),
             ("indicator JSON", [f"/api/v1/indicators/{i}" for i in ids[:10]]),
             ("search", searches), ("search JSON", [_q(f"/api/v1/search?q={t}") for t in terms])]
    print(f"{'page':<19}{'n':>6}{'err':>5}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
          f"{'p95/ref':>9}  p95 < {TARGET_MS} ms")
    ref = None
    for name, paths in pages:
        # warm-up: each path a few times per worker, over as many connections as the load uses (a kept-alive
        # connection stays with one worker process, and each worker keeps its own cache)
        asyncio.run(_load(port, paths, args.clients, 3 * args.workers * max(len(paths), args.clients), 600))
        r = asyncio.run(_load(port, paths, args.clients, args.requests, args.seconds))
        ref = ref or r["p95"]
        print(f"{name:<19}{r['n']:>6}{r['errors']:>5}{r['rps']:>8.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}"
              f"{r['p99']:>9.1f}{r['max']:>9.1f}{r['p95'] / ref:>9.1f}  {'met' if r['p95'] < TARGET_MS else 'NOT met'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=2000, help="per page")
    ap.add_argument("--seconds", type=float, default=60, help="per page, at most")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--db")
    ap.add_argument("--terms", type=int, default=20, help="distinct search terms cycled by the clients")
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
            for _ in range(300):  # ready when it serves a static file (a page would warm the caches measured below)
                try:
                    urllib.request.urlopen(base + "/static/app.css", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                raise SystemExit("the server did not start")
            run(args, base, port, db)
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
