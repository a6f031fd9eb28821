"""The audit tests borrow the buyer group cast and the open dialogue from the other apps."""

from tests.dialogues.conftest import dc, english, submission_a  # noqa: F401 (fixtures)
from tests.groups.conftest import cast, published_need  # noqa: F401 (fixtures)
