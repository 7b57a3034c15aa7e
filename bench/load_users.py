"""The simulated users of bench/load.py: a keep-alive HTTP client and what each kind of user does.

Standard library only (http.client): every user logs in through the form, keeps its cookies, sends
the CSRF token, and follows redirects the way a browser would. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import re
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

HOST = "127.0.0.1"
PASSWORD = "bench-load-2026"
TASK_URL = re.compile(rb"/tasks/([0-9a-f-]{36})/")
DOWNLOAD_URL = re.compile(rb'href="(/tasks/[0-9a-f-]{36}/download/)"')
RESULT_LINK = re.compile(rb'<a class="btn btn-success" href="([^"]+)"')
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
IMPORT_TOKEN = re.compile(rb'name="token" value="([^"]+)"')
TASK_POLL_SECONDS = 1.0  # what the status partial asks htmx for (background.views.POLL_SECONDS)
TASK_TIMEOUT_SECONDS = 300.0
SEARCHES = ["india", "iso", "payroll helpdesk", "bluewave", "customer service", "synthetic"]


class Failed(Exception):
    """A request that answered, but not what a user would accept."""


class Browser:
    """One user's cookies and a keep-alive connection to each web server; each request goes to
    the next server in turn, as a load balancer without sticky sessions would send it."""

    def __init__(self, ports: list[int]):
        self.ports = ports
        self.turn = 0
        self.cookies: dict[str, str] = {}
        self.server_seconds = 0.0  # the app's own time (Server-Timing) since the caller reset it
        self.conns = {port: http.client.HTTPConnection(HOST, port, timeout=120) for port in ports}

    def request(self, method: str, path: str, body=None, headers=None, content_type=None):
        if isinstance(body, dict):
            body, content_type = urlencode(body).encode(), "application/x-www-form-urlencoded"
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        head = {"Host": f"{HOST}:{port}", **(headers or {})}
        if content_type:
            head["Content-Type"] = content_type
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conns[port].request(method, path, body=body, headers=head)
                response = self.conns[port].getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A keep-alive connection the server closed between requests: open a new one.
                self.conns[port].close()
                self.conns[port] = http.client.HTTPConnection(HOST, port, timeout=120)
                if attempt == 2:
                    raise
        timing = response.headers.get("Server-Timing", "")
        if ";dur=" in timing:
            self.server_seconds += float(timing.split(";dur=")[1]) / 1000
        for raw in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(raw).items():
                self.cookies[key] = morsel.value
        return response.status, response.headers, content

    def follow(self, method: str, path: str, body=None, headers=None, content_type=None):
        """The request, then its redirects as GETs; returns (status, final path, content)."""
        status, head, content = self.request(method, path, body, headers, content_type)
        for _ in range(5):
            if status not in (301, 302, 303):
                break
            path = urlsplit(head["Location"]).path or "/"
            query = urlsplit(head["Location"]).query
            path = f"{path}?{query}" if query else path
            status, head, content = self.request("GET", path, headers=headers)
        return status, path, content

    @property
    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def form_token(self, path: str) -> str:
        status, _h, body = self.request("GET", path)
        found = CSRF_INPUT.search(body)
        if status != 200 or not found:
            raise Failed(f"no form at {path} (HTTP {status})")
        return found.group(1).decode()

    def log_in(self, username: str) -> None:
        token = self.form_token("/login/")
        body = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        status, headers, _b = self.request("POST", "/login/", body)
        if status != 302 or "/login/" in headers.get("Location", ""):
            raise Failed(f"{username} could not log in (HTTP {status})")


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    server: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # app time
    trace: list[tuple[float, str, float, float | None]] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    saved: dict[tuple[str, int, int], str] = field(default_factory=dict)
    approvals: dict[int, float] = field(default_factory=dict)  # evaluation -> perf_counter sent
    task_runs: list[str] = field(default_factory=list)  # runs whose start answered
    imported: int = 0  # rows the committed import reported new
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(
        self, kind: str, seconds: float, error: str | None = None, server: float | None = None
    ) -> None:
        with self.lock:
            self.trace.append((time.perf_counter() - seconds, kind, seconds, server))
            self.times[kind].append(seconds)
            if server is not None:
                self.server[kind].append(server)
            if error:
                self.errors[kind].append(error)


@dataclass
class Plan:
    """What the users work on (ids read from the bench database) and how often."""

    ports: list[int]  # the web servers; a user's requests take them in turn
    deadline: float
    think: float
    draft: int
    cells: list[tuple[int, int]]
    criteria: list[str]
    vendor_ids: list[int]
    directory_pages: int
    to_approve: list[int]  # in-review evaluations, taken one at a time by the managers
    import_csv: bytes
    import_at: float  # perf_counter when the vendor admin starts the import
    approve_every: float
    pdf_every: float
    session_cookie: str
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_approval(self) -> int | None:
        with self.lock:
            return self.to_approve.pop(0) if self.to_approve else None


def timed(stats: Stats, kind: str, browser: Browser, method: str, path: str, **kw):
    """One request, timed and recorded: the response when it is a 2xx/3xx, else None."""
    expect = kw.pop("expect", (200,))
    check = kw.pop("check", None)
    started = time.perf_counter()
    error, result = None, None
    browser.server_seconds = 0.0
    try:
        status, head, content = browser.request(method, path, **kw)
        if status not in expect:
            error = f"HTTP {status} {method} {path}: {content[:160]!r}"
        elif check and (problem := check(content)):
            error = f"{problem} ({path})"
        else:
            result = (status, head, content)
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc} ({path})"
    stats.record(kind, time.perf_counter() - started, error, browser.server_seconds)
    return result


def pause(rng: random.Random, plan: Plan, factor: float = 1.0) -> None:
    time.sleep(rng.uniform(0.5, 1.5) * plan.think * factor)


BROWSING = {
    # role -> (page kind, weight): analysts work on the draft; managers see every evaluation but
    # score none; a vendor admin sees the market only.
    "analyst": [
        ("directory", 25),
        ("search", 20),
        ("vendor profile", 10),
        ("ranking", 15),
        ("what-if", 15),
        ("score save", 15),
    ],
    "manager": [("directory", 30), ("search", 30), ("vendor profile", 10), ("ranking", 30)],
    "admin": [("directory", 40), ("search", 40), ("vendor profile", 20)],
}
BROWSING["pdf"] = BROWSING["analyst"]


def browse_once(browser: Browser, rng: random.Random, plan: Plan, stats: Stats, user) -> None:
    """One page of a user's work on the big market and the draft evaluation."""
    names, weights = zip(*BROWSING[user.role], strict=True)
    kind = rng.choices(names, weights)[0]
    if kind == "directory":
        params = {"page": rng.randint(1, plan.directory_pages)}
        if rng.random() < 0.3:
            params["ordering"] = rng.choice(["-headcount", "name", "-name"])
        timed(stats, kind, browser, "GET", f"/vendors/?{urlencode(params)}")
    elif kind == "search":
        query = urlencode({"q": rng.choice(SEARCHES), "page": rng.randint(1, 3)})
        timed(stats, kind, browser, "GET", f"/vendors/?{query}")
    elif kind == "vendor profile":
        timed(stats, kind, browser, "GET", f"/vendors/{rng.choice(plan.vendor_ids)}/")
    elif kind == "ranking":
        timed(stats, kind, browser, "GET", f"/evaluations/{plan.draft}/ranking/")
    elif kind == "what-if":
        params = urlencode({f"w_{key}": rng.randint(0, 30) for key in plan.criteria})
        path = f"/evaluations/{plan.draft}/ranking/what-if/?{params}"
        timed(stats, kind, browser, "GET", path, headers={"HX-Request": "true"})
    else:
        vendor, criterion = rng.choice(user.cells)
        value = f"{rng.randint(0, 100) / 10:.1f}"
        body = {"vendor": vendor, "criterion": criterion, "value": value, "comment": "load"}
        done = timed(
            stats,
            kind,
            browser,
            "POST",
            f"/evaluations/{plan.draft}/scores/save/",
            body=body,
            headers={"HX-Request": "true", "X-CSRFToken": browser.csrf},
            check=lambda content: None if b"Saved" in content else "not saved",
        )
        if done:
            with stats.lock:
                stats.saved[(user.name, vendor, criterion)] = value


def wait_for_task(browser: Browser, run: str, stats: Stats, kind: str) -> bytes | None:
    """Poll the task's status partial as htmx does; its final HTML, or None when it failed."""
    started = time.perf_counter()
    while time.perf_counter() - started < TASK_TIMEOUT_SECONDS:
        result = timed(
            stats, "task status", browser, "GET", f"/tasks/{run}/", headers={"HX-Request": "true"}
        )
        if result is None:
            return None
        content = result[2]
        if b"alert-danger" in content:
            stats.record(kind, 0.0, f"task {run} failed: {content[:300]!r}")
            return None
        if b"hx-trigger" not in content:  # finished: the partial stops polling
            return content
        time.sleep(TASK_POLL_SECONDS)
    stats.record(kind, 0.0, f"task {run} still running after {TASK_TIMEOUT_SECONDS:.0f} s")
    return None


def start_task(browser, stats, kind, path, body, *, content_type=None, eager=False, count=True):
    """POST what starts a task and follow it to the run's page: (run id, final HTML); the run id
    is "" when the task ran in the request and redirected to its result (embedded, `eager`).
    None on an error. `count`: a task run the bench expects one TaskRun row for."""
    started = time.perf_counter()
    error, result = None, None
    headers = {"X-CSRFToken": browser.csrf}
    browser.server_seconds = 0.0
    try:
        status, final, content = browser.follow("POST", path, body, headers, content_type)
        found = TASK_URL.search(final.encode()) or TASK_URL.search(content)
        if status != 200:
            error = f"HTTP {status} after POST {path}: {content[:160]!r}"
        elif not found and not eager:
            error = f"no task run after POST {path} (at {final})"
        else:
            result = (found.group(1).decode() if found else "", content)
            if count:
                with stats.lock:
                    stats.task_runs.append(result[0] or "(in the request)")
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc} ({path})"
    stats.record(kind, time.perf_counter() - started, error, browser.server_seconds)
    return result


def pdf_once(browser: Browser, plan: Plan, stats: Stats) -> None:
    """Draft PDF: prepare (a task), poll its status, download the file."""
    started = start_task(
        browser, stats, "pdf prepare", f"/evaluations/{plan.draft}/report.pdf/prepare/",
        {"paper": "a4", "csrfmiddlewaretoken": browser.csrf},
    )  # fmt: skip
    run = started[0] if started else None
    content = wait_for_task(browser, run, stats, "pdf prepare") if run else None
    link = DOWNLOAD_URL.search(content) if content else None
    if content is not None and not link:
        stats.record("pdf download", 0.0, f"no download link for run {run}")
    if link:
        timed(
            stats, "pdf download", browser, "GET", link.group(1).decode(),
            check=lambda data: None if data.startswith(b"%PDF") else "not a PDF",
        )  # fmt: skip


def approve_once(browser: Browser, plan: Plan, stats: Stats) -> bool:
    """Approve the next in-review evaluation; False when none is left."""
    evaluation = plan.next_approval()
    if evaluation is None:
        return False
    sent = time.perf_counter()
    done = timed(
        stats, "approval", browser, "POST", f"/evaluations/{evaluation}/approve/",
        body={"comment": "Approved by the load bench.", "csrfmiddlewaretoken": browser.csrf},
        expect=(302,),
    )  # fmt: skip
    if done:
        with stats.lock:
            stats.approvals[evaluation] = sent
        timed(stats, "evaluation page", browser, "GET", f"/evaluations/{evaluation}/")
    return True


def import_once(browser: Browser, plan: Plan, stats: Stats) -> None:
    """Upload the quote file, read the preview, commit it and wait for the task to finish.

    The preview may be answered in the request or by a task (its status page, then its result
    link): both are followed."""
    token = browser.form_token("/vendors/import/")
    body, content_type = multipart(
        {"kind": "quotes", "csrfmiddlewaretoken": token},
        {"file": ("bench-quotes.csv", plan.import_csv)},
    )
    preview = start_task(
        browser, stats, "import preview", "/vendors/import/", body, content_type=content_type,
        eager=True,
    )  # fmt: skip
    if preview is None:
        return
    run, content = preview
    if run and not IMPORT_TOKEN.search(content):
        finished = wait_for_task(browser, run, stats, "import preview")
        link = RESULT_LINK.search(finished) if finished else None
        if link:
            content = timed(stats, "import preview", browser, "GET", link.group(1).decode())
            content = content[2] if content else b""
    found = IMPORT_TOKEN.search(content)
    if not found:
        stats.record("import preview", 0.0, f"no import button: {content[-400:]!r}")
        return
    started = time.perf_counter()
    commit = start_task(
        browser, stats, "import commit", "/vendors/import/commit/",
        {"token": found.group(1).decode(), "csrfmiddlewaretoken": browser.csrf}, eager=True,
    )  # fmt: skip
    # Embedded (no broker), the commit ran in the request and redirected to its result ("").
    if commit and (not commit[0] or wait_for_task(browser, commit[0], stats, "import commit")):
        stats.record("import total", time.perf_counter() - started)


@dataclass
class User:
    name: str
    role: str  # analyst, pdf (an analyst who also downloads PDFs), manager or admin
    cells: list[tuple[int, int]] = field(default_factory=list)  # the draft's cells they score


def warm_up(browser: Browser, plan: Plan, role: str) -> None:
    """A few unrecorded reads, so that no gunicorn worker meets its first request (imports, URL
    resolver, template cache) inside the measured window."""
    paths = ["/vendors/", "/vendors/?q=india", f"/vendors/{plan.vendor_ids[0]}/"]
    if role != "admin":
        paths.append(f"/evaluations/{plan.draft}/ranking/")
    for path in paths:
        with contextlib.suppress(OSError, http.client.HTTPException):  # measured ones will tell
            browser.request("GET", path)


def user_loop(role: str, name: str, session: str, plan: Plan, stats: Stats, seed: int, ready):
    """Log in (through the form, or with the `session` made for it), wait for every user to have
    logged in (`ready`, a Barrier whose action starts the clock), then work as `role` until the
    deadline."""
    rng = random.Random(seed)
    browser = Browser(plan.ports)
    if session:
        browser.cookies[plan.session_cookie] = session
    started = time.perf_counter()
    try:
        if not session:
            browser.log_in(name)
    except (Failed, OSError, http.client.HTTPException) as exc:
        stats.record("login", time.perf_counter() - started, f"{name}: {exc}")
        ready.abort()
        return
    if not session:
        stats.record("login", time.perf_counter() - started)
    warm_up(browser, plan, role)
    try:
        ready.wait()
    except threading.BrokenBarrierError:
        return
    user = User(name, role, rng.sample(plan.cells, k=min(6, len(plan.cells))))
    # People do not all click in the same millisecond: each starts within one think time, as
    # they go on. Without this, the 40 first requests arrive together and queue for 2 s.
    pause(rng, plan, factor=rng.uniform(0.0, 1.0))
    next_slow = time.perf_counter() + rng.uniform(0.05, 0.5) * plan.approve_every
    imported = False
    while time.perf_counter() < plan.deadline:
        now = time.perf_counter()
        if role == "manager" and now >= next_slow:
            if approve_once(browser, plan, stats):
                next_slow = now + rng.uniform(0.8, 1.2) * plan.approve_every
        elif role == "pdf" and now >= next_slow:
            pdf_once(browser, plan, stats)
            next_slow = now + rng.uniform(0.8, 1.2) * plan.pdf_every
        elif role == "admin" and not imported and now >= plan.import_at:
            imported = True
            import_once(browser, plan, stats)
        else:
            browse_once(browser, rng, plan, stats, user)
        pause(rng, plan)
