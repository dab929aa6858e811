"""The console's year overview over 20,000 agency-years, against a bare FastAPI route rendering the same rows.

Both run in this process on one SQLite file: the console page (session check, counts, funnel, chart, the
page's rows with their details, filters and sorting, all in SQL) and a bare route that selects one page of
the same rows and renders them in a plain Jinja2 table. Printed: p50/p95 per request for both and the
ratio, ending in one ``RESULT console ...`` line. ``python -m bench console [AGENCIES]``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from jinja2 import Environment
from sqlalchemy import insert
from sqlmodel import col, select
from starlette.responses import HTMLResponse

from nianbao.settings import Settings
from storage.engine import make_engine, session_scope
from storage.kinds import RoleName
from storage.migrate import upgrade
from storage.people import add_person
from storage.tables import Agency, CycleStatus, Role
from web.app import create_app
from web.clock import FixedClock
from web.deps import Services
from web.sample import TODAY, YEAR, seed_bulk
from web.security import SESSION_COOKIE, SessionCodec, new_session

AGENCIES = 20_000
ROUNDS = 40
QUERIES = (
    "/console/",
    "/console/?page=150",
    "/console/?stage=approving&sort=deadline&desc=1",
    "/console/?overdue=no&kind=department&sort=percent",
    "/console/?q=第17区",
    "/console/?parent=g0042&sort=stage",
)
BARE_TABLE = Environment(autoescape=True).from_string(
    "<table>{% for r in rows %}<tr><td>{{ r[0] }}</td><td>{{ r[1] }}</td><td>{{ r[2] }}</td>"
    "<td>{{ r[3] }}</td><td>{{ r[4] }}</td></tr>{% endfor %}</table>"
)


def _bare_app(services: Services) -> FastAPI:
    app = FastAPI()

    @app.get("/bare")
    def bare(request: Request, page: int = 1) -> HTMLResponse:
        with session_scope(services.engine) as session:
            query = (
                select(
                    Agency.code,
                    Agency.name,
                    CycleStatus.stage,
                    CycleStatus.percent_complete,
                    CycleStatus.deadline,
                )
                .join(CycleStatus, col(CycleStatus.agency_code) == col(Agency.code))
                .where(CycleStatus.year == YEAR)
                .order_by(col(Agency.code))
                .offset((page - 1) * 50)
                .limit(50)
            )
            rows = list(session.exec(query))
        return HTMLResponse(BARE_TABLE.render(rows=rows))

    return app


def _timed(client: TestClient, path: str) -> float:
    started = time.perf_counter()
    answer = client.get(path)
    elapsed = time.perf_counter() - started
    if answer.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {answer.status_code}")
    return elapsed


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main(argv: list[str]) -> int:
    agencies = int(argv[0]) if argv else AGENCIES
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-console-") as scratch:
        url = f"sqlite:///{Path(scratch) / 'nianbao.db'}"
        upgrade(url)
        engine = make_engine(url)
        started = time.perf_counter()
        seed_bulk(engine, agencies=agencies)
        with session_scope(engine) as session:
            person = add_person(session=session, name="市协调")
            governments = list(session.exec(select(Agency.code).where(Agency.kind == "government")))
            session.connection().execute(
                insert(Role),
                [
                    {"person_id": person.id, "agency_code": g, "role": RoleName.COORDINATOR.value}
                    for g in governments
                ],
            )
            person_id = person.id
        print(
            f"{agencies} agency-years under {len(governments)} governments loaded in {time.perf_counter() - started:.1f} s"
        )
        assert person_id is not None
        codec = SessionCodec("bench")
        services = Services(
            settings=Settings(database_url=url, publish_dir=Path(scratch) / "published"),
            engine=engine,
            codec=codec,
            clock=FixedClock(TODAY),
            cycle=None,
        )
        console = TestClient(create_app(services))
        console.cookies.set(SESSION_COOKIE, codec.dumps(new_session(person_id)), path="/console")
        bare = TestClient(_bare_app(services))
        for path in QUERIES:  # warm caches and check every page answers
            _timed(console, path)
        _timed(bare, "/bare")
        console_times = [_timed(console, path) for _ in range(ROUNDS) for path in QUERIES]
        bare_times = [_timed(bare, f"/bare?page={1 + i % 300}") for i in range(ROUNDS * len(QUERIES))]
        engine.dispose()
    p95, bare_p95 = _p95(console_times) * 1000, _p95(bare_times) * 1000
    p50, bare_p50 = statistics.median(console_times) * 1000, statistics.median(bare_times) * 1000
    print(f"console overview: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(console_times)} requests")
    print(f"bare FastAPI route, same page of rows: p50 {bare_p50:.1f} ms, p95 {bare_p95:.1f} ms")
    print(
        f"RESULT console rows={agencies} p95_ms={p95:.1f} bare_p95_ms={bare_p95:.1f} ratio={p95 / bare_p95:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
