from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from guidance.access import can_edit_guidance, get_text_for_editor, get_text_for_reader
from guidance.forms import GuidanceTextForm
from guidance.models import GuidanceText
from guidance.services import update_guidance_text


@login_not_required
@require_safe
def text_list(request):
    """Every guidance text, by topic in the topics' order."""
    texts = list(GuidanceText.objects.all())
    topics = [(label, [text for text in texts if text.topic == value]) for value, label in GuidanceText.Topic.choices]
    return render(
        request,
        "guidance/text_list.html",
        {"topics": [(label, group) for label, group in topics if group], "can_edit": can_edit_guidance(request.user)},
    )


@login_not_required
@require_safe
def text_detail(request, slug):
    text = get_text_for_reader(slug)
    return render(request, "guidance/text_detail.html", {"text": text, "can_edit": can_edit_guidance(request.user)})


def text_edit(request, slug):
    text = get_text_for_editor(request.user, slug)
    form = GuidanceTextForm(request.POST or None, instance=GuidanceText.objects.get(pk=text.pk))
    if request.method == "POST" and form.is_valid():
        changed = update_guidance_text(text=text, user=request.user, fields=form.cleaned_data)
        if changed:
            messages.success(request, _("The guidance text is saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect(text)
    return render(request, "guidance/text_edit.html", {"text": text, "form": form})
