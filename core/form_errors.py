"""The error summary every page shows after a failed submit (WCAG 3.3.1 Error identification,
2.4.3 Focus order): templates/base.html asks `{% form_errors as page_errors %}` for every error
of every bound form the view handed to the page, and shows them first in <main>, each linked
to its field, with "Error: " before the page title. Views do nothing for it: allauth's forms and
ours alike are found in the template context."""

from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BaseFormSet

register = template.Library()


@dataclass(frozen=True)
class FormError:
    text: str
    target: str  # the id of the field to go to ("" when there is none to see)


def _forms_in(context):
    seen = set()
    for value in context.flatten().values():
        # type(), not isinstance(): isinstance would evaluate lazy objects (the user) to ask
        kind = type(value)
        if id(value) in seen or not issubclass(kind, BaseForm | BaseFormSet):
            continue
        seen.add(id(value))
        yield value


def _field_target(bound_field) -> str:
    if bound_field.is_hidden:
        return ""
    # A group of checkboxes or radio buttons is reached through its first box.
    subwidgets = bound_field.subwidgets if bound_field.use_fieldset else []
    if subwidgets:
        return subwidgets[0].id_for_label or ""
    return bound_field.id_for_label or ""


def _form_errors(form: BaseForm) -> list[FormError]:
    if not form.is_bound:
        return []
    # An error about the whole form (a refused sign-in) links to where correcting it starts.
    first_field = next((target for target in map(_field_target, form) if target), "")
    errors = [FormError(str(message), first_field) for message in form.non_field_errors()]
    for bound_field in form:
        target = _field_target(bound_field)
        for message in bound_field.errors:
            text = f"{bound_field.label}: {message}" if bound_field.label else str(message)
            errors.append(FormError(text, target))
    return errors


def errors_in(forms) -> list[FormError]:
    errors = []
    for form in forms:
        if isinstance(form, BaseFormSet):
            if form.is_bound:
                errors += [FormError(str(message), "") for message in form.non_form_errors()]
                for inner in form.forms:
                    errors += _form_errors(inner)
        else:
            errors += _form_errors(form)
    return errors


@register.simple_tag(takes_context=True)
def form_errors(context) -> list[FormError]:
    """Every error of every bound form in the page's context, forms in context order, each
    form's own errors first and then its fields' in field order."""
    return errors_in(_forms_in(context))
