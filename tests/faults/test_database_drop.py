"""PostgreSQL drops a web process's connection (a restart, a failover, an administrator's
pg_terminate_backend): the request that was using it fails with the site's error page, not a
traceback, stores nothing half-done, and the next request works."""

import threading

import psycopg
import pytest
from django.db import connection, transaction

from discussions.models import Thread
from tests.dialogues.servers import test_database_url, web_process
from tests.faults.services import Poster, require_services, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

ERROR_PAGE = "Något gick fel"  # templates/500.html


@pytest.fixture
def killer():
    """A connection of its own that can see and end the web process's connections: the ones
    opened after this fixture, before the test starts the web process. The test process's own
    connections (this thread's, and those other threads of earlier async tests still hold)
    are left alone, or the tests after this one would find theirs ended."""
    require_services()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # this thread's connection is open, so it is in the baseline
    with psycopg.connect(test_database_url(), autocommit=True) as admin:

        def backends(where: str = "TRUE") -> list[int]:
            rows = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = "
                f"'client backend' AND pid <> pg_backend_pid() AND {where}"
            ).fetchall()
            return [pid for (pid,) in rows]

        ours = set(backends())

        def others(where: str = "TRUE") -> list[int]:
            return [pid for pid in backends(where) if pid not in ours]

        def terminate(pids: list[int]) -> None:
            for pid in pids:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])

        yield others, terminate


def assert_error_page(status: int, body: str):
    assert status == 500
    assert ERROR_PAGE in body and "Traceback" not in body and "OperationalError" not in body


def test_a_connection_ended_while_the_view_runs_gives_the_error_page_and_the_next_request_works(
    thread_cast, cookies, killer
):
    others, terminate = killer
    thread = thread_cast.group_thread
    before = thread.messages.count()
    poster = Poster(cookies["member"], thread.pk)
    with web_process() as web:
        poster.load_page(web.address)
        answer = {}
        with transaction.atomic():
            # Hold the thread's row: post_message waits for it inside its transaction.
            Thread.objects.select_for_update().get(pk=thread.pk)
            posting = threading.Thread(target=lambda: answer.update(result=poster.post(web.address, "Mitt i allt")))
            posting.start()
            waiting = wait_for(lambda: others("wait_event_type = 'Lock'"), message="the view to wait for the row")
            terminate(waiting)
            posting.join(timeout=30)
        assert_error_page(*answer["result"])
        assert thread.messages.count() == before  # nothing half-done

        assert poster.post_ok(web.address, "Nästa försök")
        assert poster.get(web.address, f"/threads/{thread.pk}/")[0] == 200
    assert list(thread.messages.order_by("-pk").values_list("body", flat=True)[:1]) == ["Nästa försök"]
    assert thread.messages.count() == before + 1


def test_persistent_connections_ended_between_requests_are_replaced(thread_cast, cookies, killer):
    others, terminate = killer
    thread = thread_cast.group_thread
    poster = Poster(cookies["member"], thread.pk)
    # Production keeps a pool of connections in each process and checks one before handing it
    # out (config/settings.py).
    with web_process(env={"TEST_DB_POOL": "1"}) as web:
        poster.load_page(web.address)
        poster.post_ok(web.address, "Första")
        held = wait_for(others, message="the web process's connections")
        terminate(held)
        wait_for(lambda: not set(held) & set(others()), message="the connections to end")
        for attempt in range(3):
            status, body = poster.get(web.address, f"/threads/{thread.pk}/")
            assert status == 200, body[:2000]
            poster.post_ok(web.address, f"Efter {attempt}")
    assert thread.messages.filter(body__startswith="Efter").count() == 3
