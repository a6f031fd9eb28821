"""The check behind every tests/<app>/test_access_twins.py: an access rule written once for one
object and once as a queryset ("the objects this user may ...") must give the same answer for
every user and every object of a varied world."""

from django.contrib.auth.models import AnonymousUser

from accounts.models import User


def fresh(user):
    """The user as a request would load them (no cached organisations); a visitor for None."""
    return AnonymousUser() if user is None else User.objects.get(pk=user.pk)


def assert_twins_agree(users, objects, rule, twin):
    """rule(user, obj) == (obj in twin(user)) for every pair, and the world is varied enough
    that the rule says yes to some pairs and no to others."""
    answers = set()
    for user in users:
        found = set(twin(user).values_list("pk", flat=True))
        for obj in objects:
            allowed = rule(user, obj)
            answers.add(allowed)
            assert allowed == (obj.pk in found), f"{user} / {obj}: the rule says {allowed}, the queryset the opposite"
    assert answers == {True, False}, "the world is too plain: the rule gives one answer for every pair"
