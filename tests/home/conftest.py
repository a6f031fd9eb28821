"""The buyer-group and dialogue casts, for the agenda's tests (tests/home/test_agenda.py)."""

from tests.dialogues.conftest import dc  # noqa: F401 (fixtures)
from tests.groups.conftest import cast, published_need  # noqa: F401 (fixtures)
