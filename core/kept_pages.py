"""Whole pages kept for their reader and served again until something they were made from changes
(issue 22: the main pages cost five to twenty times a bare view, most of it queries and templates
that give the same answer to the same person until someone writes).

A view decorated with `@kept_page` is, for a signed-in person's GET, looked up in the cache first.
What makes a served copy right:

- **Who and what asked.** The key holds the person, their session (its key, its data but for the
  timestamps that move on their own, and the CSRF cookie the page's forms were signed for), the
  language, the whole path with its query and the Accept header, and a digest of the code and
  templates. Nobody is ever served another person's page.
- **What it was made from.** Every SQL statement of every process (web, Celery, management
  commands) passes `watch_statement`, a database execute wrapper. While a request runs, the tables
  its SELECTs read are noted (`ReadTablesMiddleware`, from the first middleware on, so what the
  middleware read about the person counts too). A write (INSERT, UPDATE, DELETE, TRUNCATE, or any
  statement not understood) stamps the tables it changed with the time, in the cache, once its
  transaction has committed. A kept page holds the stamps of the tables it read; it is served
  only while each is unchanged. A page whose request began less than KEPT_PAGES_MARGIN_MS after
  one of them was stamped (or with no stamp known) is not kept: it may hold either state.
- **What the page shows of the person that no table it read tells.** Markup read inside
  `{% unrecorded %}` (the header's menu) is not part of the record; checks registered by the
  apps stand in for it (the header's counts, home/apps.py): worked out before a page is made and
  on every lookup, a copy is served only while they are unchanged.
- **What is new on every request.** Refreshers registered by the apps put fresh values into
  every served copy (the session's time left, accounts/apps.py).
- **What only time changes** (an edit window closing, a suspension ending) is bounded by
  KEPT_PAGES_SECONDS: a copy is never older than that.

A page is not kept when the request or the answer is particular: messages waiting to be shown, a
session the view changed, a CSRF cookie being set, cookies, a status other than 200, anything
but HTML. The session table is the key's business, not a stamp's; `quiet_columns` names updates
no page shows (a sign-in's last_login). With several processes the cache must be shared (Redis,
REDIS_URL), as for the channel layer; the embedded mode's in-memory cache serves one process.
"""

import functools
import hashlib
import logging
import os
import re
import time
import zlib
from contextlib import contextmanager
from contextvars import ContextVar

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.utils import translation

logger = logging.getLogger(__name__)

EVERYTHING = "*"  # the stamp every kept page depends on: settings changed, a statement not understood
SESSION_TABLE = "django_session"
STAMP_PREFIX = "kept-page-stamp:"
PAGE_PREFIX = "kept-page:"

_reading: ContextVar["Reading | None"] = ContextVar("kept_pages_reading", default=None)
_refreshers: list = []
_checks: list = []
_volatile_session_keys: set[str] = set()
_quiet_columns: dict[str, frozenset] = {}
_tables: frozenset | None = None
_code_digest: str | None = None
_read_by_statement: dict[str, frozenset] = {}
_stamp_names: dict[str, tuple] = {}  # a page key → the stamps its entry holds, to read all in one go
STATEMENTS_REMEMBERED = 4096

_QUOTED = re.compile(r'"([A-Za-z0-9_]+)"')
_FROM_OR_JOIN = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
_WRITTEN = re.compile(
    r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([A-Za-z0-9_]+)"?',
    re.IGNORECASE,
)
_SET_COLUMNS = re.compile(r"\bSET\s+(.*?)\s+WHERE\b", re.IGNORECASE | re.DOTALL)
_ASSIGNED = re.compile(r'"([A-Za-z0-9_]+)"\s*=')
# Statements that change no row: transaction control, session settings, the planner's statistics.
_CHANGES_NOTHING = (
    "SAVEPOINT",
    "RELEASE",
    "ROLLBACK",
    "BEGIN",
    "COMMIT",
    "SET ",
    "SHOW",
    "EXPLAIN",
    "ANALYZE",
    "PRAGMA",
)


# --- What the apps tell this module ----------------------------------------------------------


def add_check(check, *, cache_keys=None) -> None:
    """check(request, cached) -> a value that a kept page must find unchanged to be served: what a
    page shows of the person that no table it read tells (the header's counts, worked out outside
    the record, `unrecorded`). Worked out before a page is made and on every lookup. cache_keys(
    request) names cache entries the check reads: they are read with the page, in one round trip,
    and handed to it in `cached` (a dict without the keys not found)."""
    if all(check is not known for known, _ in _checks):
        _checks.append((check, cache_keys))


def add_refresher(refresh) -> None:
    """refresh(request, body: bytes) -> bytes puts what is new on every request into a served copy."""
    if refresh not in _refreshers:
        _refreshers.append(refresh)


def ignore_session_keys(*keys: str) -> None:
    """Session entries that move on by themselves (a last-seen time) and change no page."""
    _volatile_session_keys.update(keys)


def quiet_columns(table: str, *columns: str) -> None:
    """An UPDATE of table that sets only these columns changes no page (a sign-in's last_login)."""
    _quiet_columns[table] = frozenset(columns)


# --- Watching statements -------------------------------------------------------------------


def install() -> None:
    """Watch every database connection this process opens (called from core's AppConfig.ready)."""
    connection_created.connect(_watch_connection, dispatch_uid="kept_pages_watch")
    setting_changed.connect(_settings_changed, dispatch_uid="kept_pages_settings")
    for connection in connections.all(initialized_only=True):
        _watch_connection(connection=connection)


def _watch_connection(sender=None, connection=None, **kwargs) -> None:
    # First in the list: a test's `with connection.execute_wrapper(…)` pops the last one.
    if watch_statement not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watch_statement)


def _settings_changed(**kwargs) -> None:
    stamp({EVERYTHING})


def _known_tables() -> frozenset:
    global _tables
    if _tables is None:
        _tables = frozenset(model._meta.db_table for model in apps.get_models(include_auto_created=True))
    return _tables


def watch_statement(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    text = sql if isinstance(sql, str) else str(sql)
    head = text.lstrip().lstrip("(")[:10].upper()  # a UNION's parts come in brackets
    if head.startswith(("SELECT", "WITH")) and not _writes_in(text, head):
        reading = _reading.get()
        if reading is not None:
            reading.tables.update(_read_tables(text))
    elif not head.startswith(_CHANGES_NOTHING) and _changed_rows(text, head, context["cursor"]):
        tables = written_tables(text)
        if tables:
            _written(context["connection"], tables)
    return result


def _changed_rows(text: str, head: str, cursor) -> bool:
    """Whether the statement may have changed a row. An UPDATE or DELETE that matched none did not
    (rowcount 0). An INSERT, or a statement with RETURNING, is taken to have: SQLite counts such
    rows only once they are fetched."""
    if not head.startswith(("UPDATE", "DELETE")) or "RETURNING" in text.upper():
        return True
    return getattr(cursor, "rowcount", -1) != 0


def _writes_in(text: str, head: str) -> bool:
    # A WITH can hold a write (WITH moved AS (DELETE … RETURNING *) INSERT …).
    return head.startswith("WITH") and re.search(r"\b(?:INSERT|UPDATE|DELETE)\b", text, re.IGNORECASE) is not None


def _read_tables(text: str) -> frozenset:
    # The ORM sends the same few hundred statements over and over (the values go apart): each is
    # read once (a regular expression over a statement costs 30 to 60 µs, a dictionary 1).
    found = _read_by_statement.get(text)
    if found is None:
        known = _known_tables()
        names = {*_FROM_OR_JOIN.findall(text), *_QUOTED.findall(text)}
        found = frozenset(name for name in names if name in known and name != SESSION_TABLE)
        if len(_read_by_statement) >= STATEMENTS_REMEMBERED:
            _read_by_statement.clear()
        _read_by_statement[text] = found
    return found


def written_tables(text: str) -> set[str]:
    """The tables a writing statement may change; {EVERYTHING} when it cannot be told."""
    match = _WRITTEN.match(text)
    if match:
        table = match.group(1)
        if table == SESSION_TABLE:
            return set()
        quiet = _quiet_columns.get(table)
        if quiet and text.lstrip()[:6].upper() == "UPDATE":
            assigned = _SET_COLUMNS.search(text)
            if assigned and set(_ASSIGNED.findall(assigned.group(1))) <= quiet:
                return set()
        return {table}
    known = _known_tables()
    named = {name for name in _QUOTED.findall(text) if name in known} - {SESSION_TABLE}
    if text.lstrip()[:8].upper() == "TRUNCATE" and named:
        return named
    return {EVERYTHING}


def _written(connection, tables: set[str]) -> None:
    """Stamp the tables now, or when the transaction commits (a rolled-back write stamps
    nothing). Inside a test's own transaction, now: the test reads what it wrote, and its
    on_commit callbacks never run."""
    if not connection.in_atomic_block or connection.atomic_blocks[0]._from_testcase:
        stamp(tables)
        return
    pending = connection.__dict__.setdefault("_kept_pages_pending", set())
    flush = connection.__dict__.get("_kept_pages_flush")
    if flush is None:
        flush = connection.__dict__["_kept_pages_flush"] = functools.partial(_flush_pending, connection)
    # One callback per transaction; a savepoint rolled back takes it with its writes.
    if not any(entry[1] is flush for entry in connection.run_on_commit):
        pending.clear()
        transaction.on_commit(flush, using=connection.alias)
    pending.update(tables)


def _flush_pending(connection) -> None:
    pending = connection.__dict__["_kept_pages_pending"]
    tables = set(pending)
    pending.clear()
    stamp(tables)


def stamp(tables: set[str]) -> None:
    """Mark tables as changed now: every kept page made from them is stale."""
    now = time.time_ns()
    try:
        cache.set_many({STAMP_PREFIX + table: now for table in tables}, timeout=None)
    except Exception:  # the cache is down: kept pages cannot be read either, but say so
        logger.exception(
            "Could not stamp %s as changed: kept pages may be stale for up to %s s",
            sorted(tables),
            settings.KEPT_PAGES_SECONDS,
        )


class Reading:
    """One request's reads: when it began (time.time_ns) and the tables its SELECTs named."""

    __slots__ = ("started", "tables")

    def __init__(self):
        self.started, self.tables = time.time_ns(), set()


class ReadTablesMiddleware:
    """Note the tables each request reads, for @kept_page (first in the chain, so that what the
    session, authentication and the project's middleware read about the person counts)."""

    sync_capable = async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self._acall(request)
        token = _reading.set(Reading())
        try:
            return self.get_response(request)
        finally:
            _reading.reset(token)

    async def _acall(self, request):
        token = _reading.set(Reading())
        try:
            return await self.get_response(request)
        finally:
            _reading.reset(token)


@contextmanager
def unrecorded():
    """What is read inside is not part of what a kept page is made from: what a check (add_check)
    stands for instead."""
    token = _reading.set(None)
    try:
        yield
    finally:
        _reading.reset(token)


# --- Keeping pages ---------------------------------------------------------------------------


def kept_page(view):
    """Serve a signed-in person's GET of this page from the cache while nothing it was made from
    has changed (the module's docstring says what that means)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        reading = _reading.get()
        if reading is None or not _may_keep(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        wanted = [name for _, keys in _checks if keys is not None for name in keys(request)]
        entry, cached = _fresh_entry(key, wanted)
        with unrecorded():
            checks = [check(request, cached) for check, _ in _checks]
        if entry is not None and entry["checks"] == checks:
            return _served(request, entry)
        session_before = _session_digest(request)
        response = view(request, *args, **kwargs)
        if _keepable(request, response, session_before):
            _keep(request, key, response, reading, checks)
        return response

    return wrapper


def _may_keep(request) -> bool:
    if request.method not in ("GET", "HEAD") or settings.KEPT_PAGES_SECONDS <= 0:
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    # Messages waiting to be shown make the page once (django.contrib.messages: cookie or session).
    return not request.COOKIES.get("messages") and "_messages" not in request.session


def _session_digest(request) -> str:
    session = request.session
    items = sorted((key, repr(value)) for key, value in session.items() if key not in _volatile_session_keys)
    return hashlib.blake2b(repr((session.session_key, items)).encode(), digest_size=16).hexdigest()


def _page_key(request) -> str:
    parts = (
        code_digest(),
        request.user.pk,
        _session_digest(request),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        translation.get_language(),
        request.get_host(),
        request.get_full_path(),
        request.headers.get("Accept", ""),
        request.method,
    )
    return PAGE_PREFIX + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def _fresh_entry(key: str, wanted: list[str]) -> tuple[dict | None, dict]:
    """The kept entry if it is fresh, and the cache entries the checks want. One round trip when
    this process has seen the page: its entry, its stamps and those read together."""
    known = _stamp_names.get(key, ())
    try:
        found = cache.get_many([key, *known, *wanted])
        cached = {name: found.pop(name) for name in wanted if name in found}
        entry = found.pop(key, None)
        if entry is None:
            return None, cached
        stamps = found if tuple(entry["stamps"]) == known else cache.get_many(list(entry["stamps"]))
    except Exception:
        logger.warning("The cache did not answer: the page is made again", exc_info=True)
        return None, {}
    if any(stamps.get(name) != value for name, value in entry["stamps"].items()):
        return None, cached
    _remember_stamp_names(key, entry)
    return entry, cached


def _remember_stamp_names(key: str, entry: dict) -> None:
    if len(_stamp_names) >= STATEMENTS_REMEMBERED:
        _stamp_names.clear()
    _stamp_names[key] = tuple(entry["stamps"])


def _served(request, entry: dict) -> HttpResponse:
    body = zlib.decompress(entry["body"])
    if entry["csrf"]:  # as the page's {% csrf_token %} would: the cookie's expiry moves on
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    for refresh in _refreshers:
        body = refresh(request, body)
    response = HttpResponse(body, headers=entry["headers"])
    response.served_kept = True  # for tests and the benchmarks; not sent
    return response


def _keepable(request, response, session_before: str) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and _csrf_cookie_kept(request)
        and "_messages" not in request.session
        and _session_digest(request) == session_before
    )


def _csrf_cookie_kept(request) -> bool:
    """The page's forms are signed for the CSRF cookie the browser sent (part of the key), not for
    one being set by this answer."""
    secret = request.META.get("CSRF_COOKIE")
    return secret is None or secret == request.COOKIES.get(settings.CSRF_COOKIE_NAME)


def _keep(request, key: str, response, reading: Reading, checks: list) -> None:
    names = [STAMP_PREFIX + table for table in sorted(reading.tables | {EVERYTHING})]
    try:
        stamps = cache.get_many(names)
        missing = [name for name in names if name not in stamps]
        if missing:  # never stamped, or forgotten by the cache: from now on, and not kept this time
            now = time.time_ns()
            for name in missing:
                cache.add(name, now, timeout=None)
            return
        margin = settings.KEPT_PAGES_MARGIN_MS * 1_000_000  # for clocks that differ a little
        if any(value > reading.started - margin for value in stamps.values()):
            return  # written while (or just before) the request ran: the page may hold either state
        headers = {name: value for name, value in response.headers.items() if name.lower() != "content-length"}
        csrf = request.META.get("CSRF_COOKIE") is not None
        # Compressed (a fifth to a seventh of the size, 0.1 ms to open): the cache holds a page per reader.
        body = zlib.compress(response.content, 1)
        entry = {"body": body, "headers": headers, "stamps": stamps, "csrf": csrf, "checks": checks}
        cache.set(key, entry, timeout=settings.KEPT_PAGES_SECONDS)
        _remember_stamp_names(key, entry)
    except Exception:
        logger.warning("The cache did not answer: the page is not kept", exc_info=True)


def code_digest() -> str:
    """A digest of the code, templates, catalogues and static files (names, sizes, times): a
    process running other code reads none of this one's pages."""
    global _code_digest
    if _code_digest is None:
        digest = hashlib.blake2b(digest_size=12)
        skip = {"var", "tests", "bench", "node_modules", "__pycache__", "media", "staticfiles"}
        for root, dirs, files in os.walk(settings.BASE_DIR):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in skip)
            for name in sorted(files):
                if name.endswith((".py", ".html", ".txt", ".mo", ".js", ".css", ".svg")):
                    path = os.path.join(root, name)
                    try:
                        info = os.stat(path)
                    except OSError:
                        continue
                    digest.update(f"{path}:{info.st_size}:{info.st_mtime_ns}\n".encode())
        _code_digest = digest.hexdigest()
    return _code_digest
