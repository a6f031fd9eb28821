"""Facilitators write to many people at once (indicator/outreach.py): the letters sent, writing
one (the form, then a confirmation saying who it goes to, then sending), and one letter, which
the people it went to read too."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicator.access import get_outreach_message_for_reader, require_indicator_facilitator
from indicator.forms import OutreachForm, outreach_initial
from indicator.models import OutreachMessage
from indicator.outreach import OutreachError, audience_organisations, recipients_for, send_outreach

PER_PAGE = 25


def outreach_list(request):
    require_indicator_facilitator(request.user)
    letters = OutreachMessage.objects.select_related("sender", "group")
    page = Paginator(letters, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "indicator/outreach_list.html", {"page": page})


def outreach_create(request):
    """The form; a valid POST shows who the letter goes to and asks to confirm; a confirmed one
    sends it. Whatever was typed stays on every return to the form."""
    require_indicator_facilitator(request.user)
    if request.method != "POST":
        form = OutreachForm(initial=outreach_initial(request.GET))
        return render(request, "indicator/outreach_form.html", {"form": form})
    form = OutreachForm(request.POST)
    context = {"form": form, "confirming": False}
    if form.is_valid():
        audience = form.recipients_args()
        decision = request.POST.get("confirmed")
        if decision == "yes":
            try:
                letter = send_outreach(
                    sender=request.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    **audience,
                )
            except OutreachError as error:
                form.add_error(None, str(error))
            else:
                count = letter.recipient_count
                sent = ngettext(
                    "The message was sent to %(count)s person.", "The message was sent to %(count)s people.", count
                )
                messages.success(request, sent % {"count": count})
                return redirect(letter)
        elif decision != "edit":  # "edit" goes back to the filled-in form
            count = recipients_for(sender=request.user, **audience).count()
            if count:
                context.update(
                    {
                        "confirming": True,
                        "recipient_count": count,
                        "organisations": list(audience_organisations(**audience)),
                        "audience_label": OutreachMessage.Audience(audience["audience"]).label,
                        **audience,
                    }
                )
            else:
                form.add_error(
                    None, _("Nobody would receive this message: there is no one to reach in this group of people.")
                )
    status = 400 if form.errors else 200
    return render(request, "indicator/outreach_form.html", context, status=status)


def outreach_detail(request, pk):
    letter = get_outreach_message_for_reader(request.user, pk)
    return render(request, "indicator/outreach_detail.html", {"letter": letter})
