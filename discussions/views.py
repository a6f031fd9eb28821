"""Discussion pages (PRODUCT.md §2.5). Each works without JavaScript: a plain form POST and a
redirect, and paginated history with the newest page first. static/js/thread.js adds the live
updates over /ws/threads/<id>/ and posts the same form with fetch (asking for JSON)."""

import re
from types import SimpleNamespace

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import OrganisationMember
from accounts.standing import code_of_conduct_refusal, keep_draft_for_code_of_conduct, take_draft
from core.fragments import per_language_html
from core.kept_pages import kept_page
from dialogues.models import supplier_label
from discussions.access import (
    get_dialogue_thread_place,
    get_message_for_author,
    get_message_history_for_reader,
    get_private_thread_place,
    get_thread_for_reader,
    mentionable_users,
    require_can_moderate,
    require_can_start_group_thread,
    threads_readable_by,
)
from discussions.broadcast import message_html, messages_html, with_actions
from discussions.forms import MentionSearchForm, MessageForm, ReasonForm, ThreadForm
from discussions.models import Thread
from discussions.pseudonyms import disguise_edit, disguise_message, pseudonyms_for
from discussions.services import (
    PostingTooFast,
    ThreadRuleError,
    edit_message,
    get_or_create_dialogue_thread,
    get_or_create_private_thread,
    lock_thread,
    mark_thread_read,
    post_message,
    start_group_thread,
    unlock_thread,
)
from groups.access import get_group_for_workspace

MESSAGES_PER_PAGE = 50
THREADS_PER_PAGE = 25
MENTION_RESULTS = 10
ACTIONS_PARTIAL = "discussions/thread_detail.html#message_actions"
MENTION_LINK = re.compile(r'href="#person-(\d+)"')


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _with_affiliations(prefix: str) -> Prefetch:
    # Display names of deleted people name their organisation: load them with the list.
    return Prefetch(f"{prefix}affiliations", queryset=OrganisationMember.objects.select_related("organisation"))


def _place_url(thread: Thread) -> str:
    if thread.kind == Thread.Kind.GROUP:
        return reverse("threads:group-threads", args=[thread.group.slug])
    return thread.dialogue.get_absolute_url()


class MessageActions:
    """One reader's links under messages (`thread_detail.html#message_actions`): rendered once per
    kind (own message, someone else's, moderator) and language in each process, with the stub
    pk 0 (core/fragments.py per_language_html), then given each message's pk, as
    static/js/thread.js does for live messages."""

    def __init__(self, request, access):
        self.user, self.access, self.now = request.user, access, timezone.now()

    def _links(self, *, editable: bool, reportable: bool) -> str:
        can_moderate = self.access.can_moderate
        stub = SimpleNamespace(pk=0, editable=editable, is_hidden=False)
        context = {"message": stub, "reportable": reportable, "can_moderate": can_moderate}
        return per_language_html(
            f"thread-message-actions:{can_moderate}:{editable}:{reportable}",
            lambda: render_to_string(ACTIONS_PARTIAL, context).strip(),
        )

    def for_message(self, message) -> str:
        reportable = message.author_id != self.user.pk and not message.is_hidden
        editable = self.access.can_post and message.is_editable_by(self.user, self.now)
        if not (reportable or editable or self.access.can_moderate):
            return ""
        return self._links(editable=editable, reportable=reportable).replace("/0/", f"/{message.pk}/")


def _mentioned_people(access, html: str):
    """Of the people the shown messages link by @mention, those the reader may mention here (as
    the page listed them before the list held only them)."""
    pks = {int(pk) for pk in MENTION_LINK.findall(html)}
    if not pks:
        return []
    people = mentionable_users(access).filter(pk__in=pks)
    return people.prefetch_related(_with_affiliations("")).order_by("name", "email")


def _thread_page(request, thread, access, form, *, status=200, reading=False):
    history = thread.messages.select_related("author", "organisation").order_by("-pk")
    page = Paginator(history, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    if reading:  # the person reads the discussion: its message notifications are read
        mark_thread_read(user=request.user, thread_pk=thread.pk)
    shown = list(reversed(page.object_list))
    # Only a deleted author's name needs their organisations: one query when the page has any.
    prefetch_related_objects([m.author for m in shown if m.author and m.author.is_deleted], _with_affiliations(""))
    pseudonyms = pseudonyms_for(access)
    for message in shown:
        disguise_message(message, pseudonyms)
    actions = MessageActions(request, access)
    fragments = messages_html(shown, moderator=access.can_moderate)
    items = [with_actions(html, actions.for_message(m)) for m, html in zip(shown, fragments, strict=True)]
    messages_markup = mark_safe("".join(items))
    # Without JavaScript, whom one may mention is searched on the page itself (?people=…).
    people_typed, people_found = request.GET.get("people", "").replace("\x00", ""), None
    if people_typed:
        search = MentionSearchForm({"q": people_typed})
        people_found = _find_mentionable(access, search.cleaned_data["q"]) if search.is_valid() else []
    context = {
        "thread": thread,
        "access": access,
        "page": page,
        "shown": shown,
        "messages_html": messages_markup,
        "people_typed": people_typed,
        "people_found": people_found,
        "form": form,
        "mentioned": _mentioned_people(access, messages_markup),
        "place_url": _place_url(thread),
        "newest_id": shown[-1].pk if shown and page.number == 1 else 0,
        "actions_stub": SimpleNamespace(pk=0, editable=True, is_hidden=False),  # for static/js/thread.js
        "can_moderate": access.can_moderate,
        "needs_code_of_conduct": access.can_write_when_unlocked and bool(code_of_conduct_refusal(request.user)),
        "own_label": supplier_label(pseudonyms.own_label_number) if pseudonyms.own_label_number else "",
    }
    return render(request, "discussions/thread_detail.html", context, status=status)


@kept_page
def thread_detail(request, pk):
    thread, access = get_thread_for_reader(request.user, pk)
    # Back from accepting the code of conduct: what the person had typed is in the form again.
    form = MessageForm(initial=take_draft(request, request.path))
    return _thread_page(request, thread, access, form, reading=True)


def _ask_for_code_of_conduct(request, *, data: dict, return_to: str):
    """The person has not accepted the code of conduct: keep what they typed and send them to
    accept it (a fetch gets JSON with the address to go to)."""
    url = keep_draft_for_code_of_conduct(request, data=data, return_to=return_to)
    if _wants_json(request):
        return JsonResponse({"error": code_of_conduct_refusal(request.user), "redirect": url}, status=403)
    return redirect(url)


def _not_posted(request, thread, access, form, error: str, *, status: int):
    """The message was not stored: say why, and give back everything the person typed."""
    if _wants_json(request):
        return JsonResponse({"error": error}, status=status)
    form.add_error(None, error)
    return _thread_page(request, thread, access, form, status=status)


@require_POST
def message_create(request, pk):
    thread, access = get_thread_for_reader(request.user, pk)
    form = MessageForm(request.POST)
    valid = form.is_valid()
    if not access.can_post:
        return _not_posted(request, thread, access, form, access.refusal, status=403)
    if code_of_conduct_refusal(request.user):
        return _ask_for_code_of_conduct(
            request, data={"body": request.POST.get("body", "")}, return_to=thread.get_absolute_url()
        )
    if not valid:
        error = " ".join(form.errors.get("body", [])) or _("The message could not be sent.")
        if _wants_json(request):
            return JsonResponse({"error": error}, status=400)
        return _thread_page(request, thread, access, form, status=400)
    try:
        message = post_message(thread=thread, author=request.user, body=form.cleaned_data["body"])
    except PostingTooFast as error:
        return _not_posted(request, thread, access, form, str(error), status=429)
    except ThreadRuleError as error:
        return _not_posted(request, thread, access, form, str(error), status=403)
    if _wants_json(request):
        html = with_actions(message_html(message), MessageActions(request, access).for_message(message))
        return JsonResponse({"id": message.pk, "revision": message.revision, "html": html}, status=201)
    return redirect(message)


def _find_mentionable(access, typed: str) -> list:
    """Whom the reader may @mention here (mentionable_users) whose name holds `typed`, at most ten."""
    people = (
        mentionable_users(access)
        .filter(Q(name__icontains=typed) | Q(name="", email__icontains=typed))
        .prefetch_related(_with_affiliations(""))
        .order_by("name", "email")
    )
    return list(people[:MENTION_RESULTS])


@require_GET
def mention_search(request, pk):
    """_find_mentionable as JSON: static/js/thread.js asks while the person types a name after "@"."""
    thread, access = get_thread_for_reader(request.user, pk)
    form = MentionSearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": _("Write the beginning of a name.")}, status=400)
    people = _find_mentionable(access, form.cleaned_data["q"])
    found = [
        {
            "id": person.pk,
            "name": person.display_name,
            "organisations": [affiliation.organisation.name for affiliation in person.affiliations.all()],
        }
        for person in people
    ]
    return JsonResponse({"people": found})


def message_edit(request, pk):
    message, access = get_message_for_author(request.user, pk)
    form = MessageForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        try:
            edit_message(message=message, editor=request.user, body=form.cleaned_data["body"])
        except ThreadRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your message is changed."))
            return redirect(message)
    context = {
        "thread": message.thread,
        "message": message,
        "form": form,
        "editable": message.is_editable_by(request.user) and access.can_post,
        "refusal": access.refusal,
    }
    return render(
        request, "discussions/thread_message_edit.html", context, status=400 if request.method == "POST" else 200
    )


def message_history(request, pk):
    message, access = get_message_history_for_reader(request.user, pk)
    pseudonyms = pseudonyms_for(access)
    disguise_message(message, pseudonyms)
    edits = [disguise_edit(edit, pseudonyms) for edit in message.edits.select_related("edited_by")]
    return render(
        request,
        "discussions/thread_message_history.html",
        {"thread": message.thread, "message": message, "edits": edits, "can_moderate": access.can_moderate},
    )


def thread_lock(request, pk):
    """Lock a discussion with a reason, or unlock it (coordinators, facilitators)."""
    thread, access = get_thread_for_reader(request.user, pk)
    require_can_moderate(access)
    form = ReasonForm(request.POST or None, required=not thread.is_locked)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if thread.is_locked:
                unlock_thread(thread=thread, moderator=request.user, reason=reason)
                messages.success(request, _("The discussion is open for messages again."))
            else:
                lock_thread(thread=thread, moderator=request.user, reason=reason)
                messages.success(request, _("The discussion is locked."))
        except ThreadRuleError as error:
            form.add_error(None, str(error))
        else:
            return redirect(thread)
    return render(
        request,
        "discussions/thread_lock.html",
        {"thread": thread, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def dialogue_thread(request, dialogue_pk):
    """The dialogue's open discussion, started the first time someone opens it."""
    dialogue, thread = get_dialogue_thread_place(request.user, dialogue_pk)
    if thread is None:
        thread = get_or_create_dialogue_thread(dialogue=dialogue, user=request.user)
    return redirect(thread)


def private_thread(request, dialogue_pk, organisation_pk):
    """The private discussion between the group and one supplier taking part in the dialogue."""
    dialogue, supplier, thread = get_private_thread_place(request.user, dialogue_pk, organisation_pk)
    if thread is None:
        thread = get_or_create_private_thread(dialogue=dialogue, supplier=supplier, user=request.user)
    return redirect(thread)


def group_threads(request, slug):
    """The group's internal discussions, and a form to start one; workspace users also find the
    discussions of the group's market dialogues here."""
    group, access = get_group_for_workspace(request.user, slug)
    form = ThreadForm(request.POST or None, initial=take_draft(request, request.path))
    status = 200
    if request.method == "POST":
        require_can_start_group_thread(request.user, access, group)
        if code_of_conduct_refusal(request.user):
            typed = {name: request.POST.get(name, "") for name in ("title", "body")}
            return _ask_for_code_of_conduct(request, data=typed, return_to=request.path)
        status = 400
        if form.is_valid():
            try:
                thread = start_group_thread(
                    group=group,
                    author=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except PostingTooFast as error:
                form.add_error(None, str(error))
                status = 429
            except ThreadRuleError as error:
                form.add_error(None, str(error))
            else:
                return redirect(thread)
    readable = threads_readable_by(request.user)
    threads = (
        readable.group_discussions(group)
        .select_related("created_by")
        .order_by(F("last_message_at").desc(nulls_last=True), "-pk")
    )
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    dialogue_threads = readable.in_dialogues_of(group).select_related("dialogue", "supplier")
    context = {
        "group": group,
        "access": access,
        "page": page,
        "dialogue_threads": dialogue_threads.order_by("dialogue__title", "kind", "supplier__name"),
        "form": form if request.user.can_act else None,
    }
    return render(request, "discussions/thread_list.html", context, status=status)
