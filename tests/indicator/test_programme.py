"""The programme view's figures (indicator/programme.py) on a data set built to know every
answer: groups in several stages, themes and outcomes, dialogues with suppliers of different
sizes, questions answered in and out of time, meetings held, to come and cancelled."""

import pytest
from django.urls import reverse
from django.utils import timezone

from indicator import programme
from indicator.programme import Period

pytestmark = pytest.mark.django_db


def values(table, key):
    row = next(row for row in table.rows if row.key == key)
    return dict(
        zip([column.key for column in table.columns], [programme.plain(v, "count") for v in row.values], strict=True)
    )


def period(world):
    return Period([world.last_year, world.this_year], timezone.now())


def test_groups_by_stage(world):
    table = programme.groups_by_stage(period(world))
    assert values(table, "need_identification") == {"ongoing": 1, "ended": 0, "all": 1}
    assert values(table, "early_dialogue") == {"ongoing": 0, "ended": 2, "all": 2}
    assert values(table, "procurement") == {"ongoing": 0, "ended": 1, "all": 1}
    assert values(table, "follow_up") == {"ongoing": 0, "ended": 0, "all": 0}
    assert values(table, "total") == {"ongoing": 1, "ended": 4, "all": 5}


def test_groups_by_theme(world):
    table = programme.groups_by_theme(period(world))
    assert values(table, "energy") == {"ongoing": 1, "ended": 1, "all": 2}
    assert values(table, "transport") == {"ongoing": 0, "ended": 2, "all": 2}
    assert values(table, "digital") == {"ongoing": 0, "ended": 1, "all": 1}


def test_groups_by_outcome_and_procedure(world):
    outcome = programme.groups_by_outcome(period(world))
    assert [(row.key, row.values) for row in outcome.rows] == [
        ("active", [1]),
        ("procured", [2]),
        ("continuing", [1]),
        ("abandoned", [1]),
        ("total", [5]),
    ]
    procedure = programme.groups_by_procedure(period(world))
    assert values(procedure, "innovation_partnership") == {"groups": 1}
    assert values(procedure, "open") == {"groups": 1}
    assert values(procedure, "pcp") == {"groups": 0}
    assert values(procedure, "total") == {"groups": 2}


def test_groups_per_year_count_by_swedish_time(world):
    """The group created half an hour into this year (Swedish time, still last year in UTC)
    counts this year; the one created half an hour before counts last year."""
    table = programme.groups_per_year(period(world))
    assert values(table, world.last_year) == {
        "started": 3,
        "ended_procured": 0,
        "ended_continuing": 0,
        "ended_abandoned": 1,
        "ended": 1,
    }
    assert values(table, world.this_year) == {
        "started": 2,
        "ended_procured": 2,
        "ended_continuing": 1,
        "ended_abandoned": 0,
        "ended": 3,
    }


def test_a_single_year_has_only_its_own_figures(world):
    table = programme.groups_per_year(Period([world.this_year], timezone.now()))
    assert [row.key for row in table.rows] == [world.this_year]
    assert values(table, world.this_year)["started"] == 2


def test_dialogues_and_the_share_of_small_suppliers(world):
    table = programme.dialogues_per_year(period(world))
    assert values(table, world.last_year) == {"dialogues": 1, "suppliers": 2, "small": 1, "small_share": 50.0}
    # three suppliers, one of unknown size: the share is of the two whose size is known
    assert values(table, world.this_year) == {"dialogues": 1, "suppliers": 3, "small": 2, "small_share": 100.0}


def test_suppliers_by_size_class(world):
    table = programme.suppliers_by_size(period(world))
    this_year = values(table, world.this_year)
    assert this_year[f"size_class_{world.small.pk}"] == 2
    assert this_year[f"size_class_{world.medium.pk}"] == 0
    assert this_year["size_unknown"] == 1
    assert this_year["suppliers"] == 3
    last_year = values(table, world.last_year)
    assert last_year[f"size_class_{world.medium.pk}"] == 1
    assert last_year["small_share"] == 50.0


def test_questions_answered_in_and_out_of_time(world):
    table = programme.questions_per_year(period(world))
    assert values(table, world.this_year) == {
        "asked": 6,  # the hidden one left out
        "answered": 2,  # the withdrawn answer and the draft do not count
        "answered_in_time": 1,
        "in_time_share": 25.0,  # 1 of the 2 answered and the 2 past their time
        "overdue": 2,
        "not_yet_due": 2,
    }
    assert values(table, world.last_year)["in_time_share"] == 100.0


def test_meetings_held_to_come_and_cancelled(world):
    table = programme.meetings_per_year(period(world))
    assert values(table, world.this_year) == {"offered": 4, "held": 1, "upcoming": 1, "cancelled": 1}
    assert values(table, world.last_year) == {"offered": 1, "held": 1, "upcoming": 0, "cancelled": 0}


def test_the_programme_view_shows_this_year_by_default(client, cast, world):
    client.force_login(cast.facilitator)
    response = client.get(reverse("indicator:programme"))
    assert response.status_code == 200
    assert response.context["year"] == world.this_year
    assert all([row.key for row in table.rows] == [world.this_year] for table in response.context["year_tables"])


def test_the_programme_view_all_years(client, cast, world):
    client.force_login(cast.facilitator)
    response = client.get(reverse("indicator:programme"), {"year": "all"})
    assert response.context["year"] is None
    groups = response.context["year_tables"][0]
    assert [row.key for row in groups.rows] == [world.last_year, world.this_year]


@pytest.mark.parametrize("year", ["abc", "1999", "3000", ""])
def test_a_bad_year_is_404(client, cast, year):
    client.force_login(cast.facilitator)
    assert client.get(reverse("indicator:programme"), {"year": year}).status_code == 404
