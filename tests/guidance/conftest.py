"""Guidance texts as the migration seeds them. A transactional test elsewhere in the run flushes
the tables, and the seeded rows with them: seed again (seeding never overwrites an edit)."""

import pytest

from guidance.seed import seed_guidance


@pytest.fixture(autouse=True)
def seeded_guidance(db):
    seed_guidance()
