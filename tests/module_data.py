"""Data built once per test module, for modules whose tests only read it."""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def kept_for_the_module(django_db_blocker):
    """For a module-scoped fixture: what is built inside is kept in a transaction that is rolled
    back after the module's last test. Each test still runs in a savepoint inside it
    (pytest-django's `db`), so what a request writes on the way (a last-login time, an access
    log entry) is gone for the next test; the Python objects are shared, though, so a test that
    changes data keeps the function-scoped fixture, in a module of its own (both worlds at once
    would collide). Not for transactional tests (`transaction=True`, live servers), which
    commit and flush.

        @pytest.fixture(scope="module")
        def _module_cast(django_db_setup, django_db_blocker):
            with kept_for_the_module(django_db_blocker):
                yield build_cast()
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
