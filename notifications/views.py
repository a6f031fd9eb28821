from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.inputs import local_next
from notifications.access import get_notification_for_recipient
from notifications.delivery import verified_addresses
from notifications.forms import PreferencesForm
from notifications.models import Notification
from notifications.registry import get_kind, is_registered, preferences_sections
from notifications.services import deliveries_for, mark_read, save_preferences, unsubscribe
from notifications.tokens import read_unsubscribe_token

NOTIFICATIONS_PER_PAGE = 20


def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user).prefetch_related("target")
    page = Paginator(notifications.order_by("-created_at", "-pk"), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notification_list.html", {"page": page})


def notification_open(request, pk):
    """Follow an item to its object; following it marks it read."""
    notification = get_notification_for_recipient(request.user, pk)
    mark_read(user=request.user, notification_ids=[notification.pk])
    if notification.target_is_gone or not notification.url:
        messages.info(request, _("What this notification pointed to is no longer available."))
        return redirect("notifications:notification-list")
    return redirect(notification.url)


def _back(request):
    if next_url := local_next(request, request.POST.get("next", "")):
        return HttpResponseRedirect(next_url)
    return redirect("notifications:notification-list")


@require_POST
def notification_read(request, pk):
    notification = get_notification_for_recipient(request.user, pk)
    mark_read(user=request.user, notification_ids=[notification.pk])
    return _back(request)


@require_POST
def notification_read_all(request):
    count = mark_read(user=request.user)
    messages.success(request, _("All notifications are marked as read.") if count else _("Nothing was unread."))
    return _back(request)


def preferences(request):
    """The choice per kind, and the sections other apps add to the page (all saved together)."""
    user = request.user
    data = request.POST or None
    form = PreferencesForm(data, deliveries=deliveries_for([user.pk])[user.pk])
    sections = [part for section in preferences_sections() if (part := section(user=user, data=data)) is not None]
    if data is not None and all([form.is_valid(), *(part.is_valid() for part in sections)]):
        save_preferences(user=user, deliveries=form.deliveries(), sections=sections)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "sections": sections, "has_verified_address": user.pk in verified_addresses([user.pk])},
    )


@login_not_required
@csrf_exempt  # the signed token is the authority; mail programs POST here for one-click unsubscribe
def unsubscribe_view(request, token):
    """Turn off e-mail of one kind (or the digest) from a link in an e-mail, without signing in.
    GET asks for confirmation (link scanners must not unsubscribe anyone); POST does it."""
    try:
        user_id, scope = read_unsubscribe_token(token)
    except signing.SignatureExpired:
        return render(request, "notifications/unsubscribe.html", {"problem": "expired"}, status=400)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe.html", {"problem": "invalid"}, status=400)
    user = get_user_model().objects.filter(pk=user_id, is_active=True, deleted_at__isnull=True).first()
    if user is None or (scope != "digest" and not is_registered(scope)):
        return render(request, "notifications/unsubscribe.html", {"problem": "invalid"}, status=400)
    translation.activate(user.language)  # the page speaks the language of the e-mail it came from
    request.LANGUAGE_CODE = user.language
    scope_label = get_kind(scope).label if is_registered(scope) else None
    if request.method == "POST":
        kinds = unsubscribe(user=user, scope=scope)
        labels = [get_kind(kind).label for kind in kinds]
        return render(request, "notifications/unsubscribe.html", {"done": True, "labels": labels})
    return render(request, "notifications/unsubscribe.html", {"scope_label": scope_label, "email": user.email})
