from home.agenda import AgendaCount


def agenda(request):
    """The header's "To do" count (home/agenda.py): worked out only if a template asks."""
    user = getattr(request, "user", None)
    return {"agenda": AgendaCount(user if user is not None and user.is_authenticated else None)}
