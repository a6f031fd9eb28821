from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.kept_pages import kept_page
from search.services import KINDS, search


@login_not_required
@require_GET
@kept_page
def search_page(request):
    """Everyone may search; each finds only what they may open. No query yet: just the form."""
    typed = request.GET.get("q")
    results = None
    if typed is not None:
        results = search(request.user, typed, kind=request.GET.get("kind"), page=request.GET.get("page", 1))
    return render(request, "search/search.html", {"typed": typed or "", "results": results, "kinds": KINDS})
