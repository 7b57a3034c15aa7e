"""Structured logs: every line carries the request id of the request (or task) that wrote it.

The id comes from an incoming X-Request-ID (a load balancer's) or is made here; the middleware
returns it in the response header and task runs store it, so a task's lines share the id of the
request that started it. LOG_FORMAT=json writes one JSON object per line; the default is key=value.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
# Only ids a person can paste into a log search; anything else is replaced, never logged as is.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def current_request_id() -> str:
    return _request_id.get()


def accept_or_make_request_id(incoming: str | None) -> str:
    return incoming if incoming and _SAFE_ID.match(incoming) else uuid.uuid4().hex


@contextlib.contextmanager
def request_id_context(request_id: str):
    token = _request_id.set(request_id or "")
    try:
        yield
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, so formatters can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get() or "-"
        return True


class ClientErrorFilter(logging.Filter):
    """Django logs a 403 with its traceback: a client's mistake (bpo_select.security says who was
    denied and why) stays one line, so tracebacks in the log are the server's errors only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info, record.exc_text = None, None
        return True


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = (
            f"{self.formatTime(record)} level={record.levelname} logger={record.name} "
            f"request_id={getattr(record, 'request_id', '-')} {record.getMessage()}"
        )
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
