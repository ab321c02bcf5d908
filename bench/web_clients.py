"""The clients of bench/web.py (httpx, asyncio, in the bench's own process, on the same machine): the
signed-in sessions (a browser's: session cookie, X-CSRF-Token on the step), the plans (which cases
each server configuration and each client asks for or steps), one request of each kind, and the
passes that time them:

  - sequential: one client, one request at a time; the case page alternated with GET /healthz
    (A B A B, same client and connection), then the other kinds one after the other;
  - closed loop: `--clients` clients at once, each sending its next request as soon as the previous
    one is answered, kinds drawn from `--mix`;
  - think time: the same clients, the same mix, each waiting a think time between an answer and its
    next request — `think` × uniform(0.5, 1.5), i.e. ±50 %, and a first request spread uniformly
    over one think time (people do not all click at the same instant).

Any answer but 200 is an error (a 303 to the login page too; /healthz must answer "ok"), counted
and kept with a sample body. The step (record_onsite_act, a same-state step of 调查取证) is fired by
each client on its own share of the configuration's cases; the think-time pass reuses the closed-loop
pass's shares — the step may repeat on a case, which stays in 调查取证, so the checks between server
configurations still hold."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from bench.web_seed import STEP, STEP_PAYLOAD
from bench.web_server import cpu_seconds, role, tree_cpu
from caseflow.cli.serve_command import DEMO_PASSWORD

OFFICERS = ("diaocha1", "diaocha2")  # 调查岗, the officers of every cloned penalty case
SUPERVISORS = ("juzhang", "jjgz")  # 局负责人, 股长: the dashboard's readers
KINDS = ("case", "dashboard", "transition", "worklist")  # what --mix and --sequential may name
HEALTHZ = "healthz"  # the constant route (no session, no database): the case page's reference
REPORTED = ("case", HEALTHZ, "dashboard", "transition", "worklist")  # the order of the tables
# The clients sign in (not timed) a few at a time, as people arrive in the morning: each login
# spends ~50 ms of CPU on argon2, and 50 at once would only measure that queue.
LOGINS_AT_ONCE = 4
# uvicorn closes a connection idle for 5 s: a request sent on it just then fails (ReadError), so
# the clients drop idle connections a little earlier, as browsers do, and connect again.
KEEPALIVE_S = 4.0
LABEL = {"case": "case page", HEALTHZ: "/healthz", "dashboard": "dashboard",
         "transition": "transition", "worklist": "worklist"}


class Recorder:
    def __init__(self) -> None:
        self.lat: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.samples: dict[str, str] = {}
        self.tags: dict[str, list[tuple[str, float]]] = defaultdict(list)

    def add(self, kind: str, seconds: float, status: int | None, body: str,
            tag: str | None = None) -> None:
        if status == 200:
            self.lat[kind].append(seconds)
            if tag:
                self.tags[kind].append((tag, seconds))
        else:
            self.errors[kind] += 1
            self.samples.setdefault(kind, f"{status}: {body[:300]}")

    def absorb_errors(self, other: Recorder) -> None:
        """The errors of `other` (a warm-up's) counted here too."""
        for kind, n in other.errors.items():
            self.errors[kind] += n
            self.samples.setdefault(kind, other.samples[kind])


class Session:
    """One signed-in browser: its own connection and cookie jar, and the session's CSRF token."""

    def __init__(self, client: httpx.AsyncClient, csrf: str, username: str) -> None:
        self.client, self.csrf, self.username = client, csrf, username


async def sign_in(base: str, username: str) -> Session:
    client = httpx.AsyncClient(base_url=base, timeout=300, follow_redirects=False,
                               limits=httpx.Limits(keepalive_expiry=KEEPALIVE_S))
    r = await client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD})
    if r.status_code != 200:
        raise SystemExit(f"login {username}: {r.status_code} {r.text[:300]}")
    return Session(client, r.json()["csrf_token"], username)


class Plan:
    """What the clients of one server configuration ask for: random cases of every state (all the
    seeded cases, the same for every configuration), and for the step this configuration's own
    cases in 调查取证 — one to check the step, the single client's, each concurrent client's share
    (for the closed-loop and the think-time pass alike)."""

    def __init__(self, everything: list[tuple[str, str]], pool: list[str], clients: int) -> None:
        self.all = everything
        pool = list(pool)
        self.cases = list(pool)  # every case this configuration may step
        self.check_case = pool.pop()  # fired once before the clock starts
        k = min(200, len(pool) // 4)
        self.sequential_pool = pool[:k]  # the single client's transitions
        pool = pool[k:]
        self.shares = [pool[i::clients] for i in range(clients)]


def make_plans(by_state: dict[str, list[str]], clients: int, rnd: random.Random,
               configurations: int) -> list[Plan]:
    """One plan per server configuration: the cases in 调查取证, shuffled, split into equal parts,
    so that no configuration steps a case an earlier one stepped (each acts on cases as seeded)."""
    everything = [(no, st) for st, nos in by_state.items() for no in nos]
    pool = list(by_state["investigation"])
    rnd.shuffle(pool)
    part = len(pool) // configurations
    if part < 2 * clients + 2:
        raise SystemExit(
            f"too few cases in 调查取证 ({len(pool)}) for {clients} clients"
            + (f" in each of {configurations} server configurations" if configurations > 1 else "")
            + ": raise --cases")
    return [Plan(everything, pool[i * part:(i + 1) * part], clients)
            for i in range(configurations)]


def step_url(case_no: str) -> str:
    return f"/api/cases/{quote(case_no)}/transitions/{STEP}"


async def request(kind: str, sess: Session, plan: Plan, rnd: random.Random, share: list[str],
                  rec: Recorder) -> None:
    tag = None
    t0 = time.perf_counter()
    try:
        if kind == "case":
            no, tag = rnd.choice(plan.all)
            r = await sess.client.get(f"/cases/{quote(no)}")
        elif kind == HEALTHZ:
            r = await sess.client.get("/healthz")
        elif kind == "dashboard":
            r = await sess.client.get("/dashboard")
        elif kind == "worklist":
            r = await sess.client.get("/")
        else:
            no = rnd.choice(share)
            r = await sess.client.post(step_url(no), json=STEP_PAYLOAD,
                                       headers={"X-CSRF-Token": sess.csrf})
        seconds = time.perf_counter() - t0
        status = r.status_code
        if kind == HEALTHZ and status == 200 and r.text.strip() != "ok":
            status = None  # answered, but not the constant: an error with its body
        rec.add(kind, seconds, status, r.text, tag)
    except httpx.HTTPError as exc:
        rec.add(kind, time.perf_counter() - t0, None, f"{type(exc).__name__}: {exc}")


async def check_step(base: str, case_no: str) -> None:
    """Fire the step once, before any timing: the seeded cases must satisfy its guards."""
    sess = await sign_in(base, OFFICERS[0])
    try:
        r = await sess.client.post(step_url(case_no), json=STEP_PAYLOAD,
                                   headers={"X-CSRF-Token": sess.csrf})
        if r.status_code != 200:
            raise SystemExit(f"the bench's step {STEP} on {case_no} was refused: "
                             f"{r.status_code} {r.text[:500]}")
        r = await sess.client.post(step_url(case_no), json=STEP_PAYLOAD)
        if r.status_code != 403:
            raise SystemExit(f"a step without X-CSRF-Token was not refused: "
                             f"{r.status_code} {r.text[:300]}")
    finally:
        await sess.client.aclose()


async def sequential(base: str, plan: Plan, counts: dict[str, int], rnd: random.Random) -> Recorder:
    """One client, one request at a time: `counts['case']` case pages each followed by a GET
    /healthz on the same connection (A B A B: the machine's load moves both alike), then the other
    kinds, each its count in a row."""
    officer = await sign_in(base, OFFICERS[0])
    head = await sign_in(base, SUPERVISORS[0])
    warm, rec = Recorder(), Recorder()

    async def one(kind: str, into: Recorder) -> None:
        who = head if kind == "dashboard" else officer
        await request(kind, who, plan, rnd, plan.sequential_pool, into)

    for kind in REPORTED:  # first requests build caches (templates, machines, SVG): not timed
        for _ in range(3):
            await one(kind, warm)
    for _ in range(counts.get("case", 0)):
        await one("case", rec)
        await one(HEALTHZ, rec)
    for kind in KINDS:
        if kind != "case":
            for _ in range(counts.get(kind, 0)):
                await one(kind, rec)
    for s in (officer, head):
        await s.client.aclose()
    rec.absorb_errors(warm)
    return rec


@dataclass
class Pass:
    """The figures of one pass of many clients: latencies and errors, seconds from the first
    request to the last answer, CPU (cores) of the server's tree and of this process."""
    rec: Recorder
    elapsed: float
    cpu: dict[str, float]
    cpu_by_process: dict[str, float]
    think: float


async def _load(officers: list[Session], heads: list[Session], plan: Plan, duration: float,
                mix: dict[str, float], rnd: random.Random, server_pid: int, think: float,
                rec: Recorder) -> Pass:
    """Every client until `duration` has passed: next request as soon as the previous one is
    answered (think 0), or after a think time of think × uniform(0.5, 1.5) (the first request
    after uniform(0, think))."""
    kinds, weights = zip(*((k, w) for k, w in mix.items() if w > 0))
    server0, clients0 = tree_cpu(server_pid), cpu_seconds()
    start = time.perf_counter()
    stop = start + duration

    async def pause(seconds: float) -> None:  # never past the end of the pass
        await asyncio.sleep(max(0.0, min(seconds, stop - time.perf_counter())))

    async def client(i: int) -> None:
        r = random.Random(rnd.random())
        if think:
            await pause(r.uniform(0, think))
        while time.perf_counter() < stop:
            kind = r.choices(kinds, weights)[0]
            who = heads[i] if kind == "dashboard" else officers[i]
            await request(kind, who, plan, r, plan.shares[i], rec)
            if think:
                await pause(think * r.uniform(0.5, 1.5))

    await asyncio.gather(*(client(i) for i in range(len(officers))))
    elapsed = time.perf_counter() - start
    server1, clients1 = tree_cpu(server_pid), cpu_seconds()
    by_process = {f"{role(p, server_pid)} {p}": (c - server0.get(p, 0.0)) / elapsed
                  for p, c in server1.items()}
    cpu = {**({"server": sum(by_process.values())} if by_process else {}),
           "clients": (clients1 - clients0) / elapsed}
    return Pass(rec, elapsed, cpu, by_process, think)


async def load_passes(base: str, plan: Plan, clients: int, duration: float, think: float,
                      mix: dict[str, float], rnd: random.Random, server_pid: int,
                      ) -> dict[str, Pass]:
    """`clients` clients sign in (an officer's and a supervisor's session each), warm up every
    connection once per kind (any worker; not timed, errors counted), then the closed-loop pass and,
    unless `think` is 0, the think-time pass on the same sessions."""
    gate = asyncio.Semaphore(LOGINS_AT_ONCE)

    async def signed_in(username: str) -> Session:
        async with gate:
            return await sign_in(base, username)

    officers = list(await asyncio.gather(*(signed_in(OFFICERS[i % 2]) for i in range(clients))))
    heads = list(await asyncio.gather(*(signed_in(SUPERVISORS[i % 2]) for i in range(clients))))
    warm = Recorder()

    async def warm_up(i: int) -> None:
        r = random.Random(i)
        for kind in (k for k, w in mix.items() if w > 0):
            who = heads[i] if kind == "dashboard" else officers[i]
            await request(kind, who, plan, r, plan.shares[i], warm)

    try:
        await asyncio.gather(*(warm_up(i) for i in range(clients)))
        closed = Recorder()
        closed.absorb_errors(warm)
        out = {"closed": await _load(officers, heads, plan, duration, mix, rnd, server_pid, 0.0,
                                     closed)}
        if think > 0:
            out["think"] = await _load(officers, heads, plan, duration, mix, rnd, server_pid,
                                       think, Recorder())
        return out
    finally:
        for s in (*officers, *heads):
            await s.client.aclose()


def pass_figures(p: Pass, stats: dict[str, Any]) -> dict[str, Any]:
    """A pass's figures for the JSON (the kinds' from `summary`)."""
    total = sum(len(v) for v in p.rec.lat.values())
    return {"seconds": p.elapsed, "think_s": p.think, "cpu": p.cpu,
            "cpu_by_process": p.cpu_by_process, "answered": total, "per_s": total / p.elapsed,
            "errors": sum(p.rec.errors.values()), "kinds": stats}
