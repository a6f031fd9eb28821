from django.utils.functional import SimpleLazyObject

from moderation.access import is_any_moderator


def moderation(request):
    """Whether the navigation shows the moderation queue: worked out only if a template asks."""
    user = getattr(request, "user", None)
    return {"is_moderator": SimpleLazyObject(lambda: user is not None and is_any_moderator(user))}
