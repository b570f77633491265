"""The one form renderer: every Django form renders with GOV.UK Frontend markup."""

from django.forms.renderers import TemplatesSetting

from carerecruit.govuk.forms import GovukBoundField


class GovukFormRenderer(TemplatesSetting):
    """Renders forms with templates/govuk/forms/ (label, hint, error message, fieldsets).

    Set as ``FORM_RENDERER``; fields get :class:`GovukBoundField`, which knows which
    GOV.UK component a widget maps to and which id the error summary should link to.
    """

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
    bound_field_class = GovukBoundField
