from django.utils.functional import SimpleLazyObject


def roles(request):
    """Role answers for the navigation, computed once per request and only if a template asks."""
    user = getattr(request, "user", None)

    def compute():
        if user is None or not user.is_authenticated:
            return {"is_facilitator": False, "can_act": False}
        return {"is_facilitator": user.is_facilitator, "can_act": user.can_act}

    return {"roles": SimpleLazyObject(compute)}
