"""The one place that answers "may this user report, moderate or suspend?" (PRODUCT.md §2.7).

- Anyone who can see an item may report it: a message (its discussion's readers), a document
  (the group's workspace users), a question (the asking organisation, the group's member users,
  facilitators), a proposal (the submitting organisation and the group's member users).
  Someone who cannot see the item gets 404, as on the item's own page.
- Moderators: facilitators everywhere, coordinators in their own groups. They see the queue,
  hide and restore content, dismiss reports, lock discussions and suspend users from a group;
  only facilitators suspend from the whole site, and nobody but a facilitator suspends one.
  Nobody decides on a report they filed themselves.
- Posting needs the current code of conduct accepted and no suspension in force.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Suspension, User
from dialogues.access import dialogue_access
from dialogues.models import Question, Submission
from discussions.access import get_message_for_reader, thread_access
from discussions.models import Message, Thread
from groups.access import group_access, groups_managed_by
from groups.models import BuyerGroup, Coordinator, Document
from moderation.models import Report

KIND_MODELS = {
    Report.Kind.MESSAGE: Message,
    Report.Kind.DOCUMENT: Document,
    Report.Kind.QUESTION: Question,
    Report.Kind.SUBMISSION: Submission,
}


def group_of(target) -> BuyerGroup:
    """The buyer group an item belongs to (whose coordinators moderate it)."""
    if isinstance(target, Message):
        return target.thread.group
    if isinstance(target, Document | Thread):
        return target.group
    return target.dialogue.group


# --- Who moderates where ----------------------------------------------------------------


def is_moderator_of(user, group_id) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_facilitator or Coordinator.objects.filter(group_id=group_id, user=user).exists()


def moderated_groups(user):
    """is_moderator_of for every group at once: every group for facilitators, their own for
    coordinators, none for anyone else (the groups the user manages: groups.access)."""
    return groups_managed_by(user)


def is_any_moderator(user) -> bool:
    return user.is_authenticated and (user.is_facilitator or Coordinator.objects.filter(user=user).exists())


def moderator_users(group):
    """Everyone who moderates the group (facilitators and its coordinators), as one query."""
    coordinators = Coordinator.objects.filter(group=group).values("user_id")
    return User.objects.filter(
        Q(pk__in=User.objects.facilitators().values("pk")) | Q(pk__in=coordinators),
        is_active=True,
        deleted_at__isnull=True,
    )


def require_moderator(user) -> None:
    if not is_any_moderator(user):
        raise PermissionDenied(_("Only facilitators and group coordinators moderate content."))


# --- Reporting ---------------------------------------------------------------------------


def _kind(kind: str) -> str:
    if kind not in Report.Kind.values:
        raise Http404
    return kind


def _fetch(kind: str, pk: int):
    model = KIND_MODELS[kind]
    related = {
        Report.Kind.MESSAGE: ("thread", "thread__group", "author"),
        Report.Kind.DOCUMENT: ("group", "created_by"),
        Report.Kind.QUESTION: ("dialogue", "dialogue__group", "organisation", "answer"),
        Report.Kind.SUBMISSION: ("dialogue", "dialogue__group", "organisation", "latest_version"),
    }[kind]
    return get_object_or_404(model.objects.select_related(*related), pk=pk)


def can_see_content(user, target) -> bool:
    """Whether the user may read the item itself, by the rules of the page that shows it."""
    if not user.is_authenticated:
        return False
    if isinstance(target, Message):
        return thread_access(user, target.thread).can_read
    if isinstance(target, Document):
        return group_access(user, target.group).can_see_workspace
    access = dialogue_access(user, target.dialogue)
    if isinstance(target, Question):
        return access.can_see_original_question(target)
    return access.can_open_submission(target)


def get_reportable(user, kind, pk):
    """The item the user wants to report, if they can see it; 404 otherwise."""
    kind = _kind(kind)
    if kind == Report.Kind.MESSAGE:
        message, _access = get_message_for_reader(user, pk)
        return message
    target = _fetch(kind, pk)
    if not can_see_content(user, target):
        raise Http404
    return target


# --- Deciding ----------------------------------------------------------------------------


def reports_for_moderator(user):
    """The moderator's queue: get_report_for_moderator's rule for every report at once."""
    return Report.objects.filter(group__in=moderated_groups(user))


def get_report_for_moderator(user, pk) -> Report:
    """A report in a group the user moderates; 404 for everyone else."""
    report = get_object_or_404(
        Report.objects.select_related(
            "group",
            "reporter",
            "decided_by",
            "message__thread__group",
            "message__thread__dialogue",
            "message__thread__supplier",
            "message__author",
            "message__hidden_by",
            "document__created_by",
            "document__latest_version",
            "question__dialogue",
            "question__organisation",
            "question__asked_by",
            "submission__dialogue",
            "submission__organisation",
            "submission__latest_version",
        ),
        pk=pk,
    )
    if not is_moderator_of(user, report.group_id):
        raise Http404
    return report


def get_content_for_moderator(user, kind, pk):
    """An item in a group the user moderates (to hide or restore it); 404 otherwise."""
    target = _fetch(_kind(kind), pk)
    if not is_moderator_of(user, group_of(target).pk):
        raise Http404
    return target


def is_own_report(user, report: Report) -> bool:
    return report.reporter_id == user.pk


def require_not_own_report(user, report: Report) -> None:
    if is_own_report(user, report):
        raise PermissionDenied(_("You filed this report yourself, so another moderator must decide on it."))


# --- Suspensions -------------------------------------------------------------------------


def require_can_suspend(moderator, user, group=None) -> None:
    """Site-wide: facilitators only. From a group: its coordinators and facilitators. Nobody
    suspends themselves, and only a facilitator can suspend a facilitator."""
    if user.pk == moderator.pk:
        raise PermissionDenied(_("You cannot suspend yourself."))
    if group is None:
        if not can_suspend_site_wide(moderator):
            raise PermissionDenied(_("Only facilitators can suspend someone from the whole site."))
    elif not is_moderator_of(moderator, group.pk):
        raise PermissionDenied(_("Only the group's coordinators and facilitators can suspend someone from it."))
    if user.is_facilitator and not moderator.is_facilitator:
        raise PermissionDenied(_("Coordinators cannot suspend facilitators at Upphandlingsmyndigheten."))


def can_suspend_site_wide(user) -> bool:
    return user.is_authenticated and user.is_facilitator


def suspensions_for_moderator(user):
    """get_suspension_for_moderator's rule for every suspension at once: site-wide ones for
    facilitators, and those in the groups the user moderates."""
    if can_suspend_site_wide(user):
        return Suspension.objects.all()
    return Suspension.objects.filter(group__in=moderated_groups(user))


def get_suspension_for_moderator(user, pk) -> Suspension:
    suspension = get_object_or_404(Suspension.objects.select_related("user", "group"), pk=pk)
    if suspension.group_id is None:
        if not can_suspend_site_wide(user):
            raise Http404
    elif not is_moderator_of(user, suspension.group_id):
        raise Http404
    return suspension
