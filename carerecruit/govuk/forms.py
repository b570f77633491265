"""GOV.UK Frontend building blocks for Django forms: a bound field that knows its GOV.UK
component, and the date input (day, month, year) the Design System asks for.

Source for markup and wording: the GOV.UK Design System components (text input, radios,
checkboxes, date input, error message, error summary).
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField


class GovukDateInput(forms.MultiWidget):
    """Three text boxes (day, month, year) with numeric keypads on phones."""

    template_name = "govuk/forms/widgets/date.html"

    def __init__(self, attrs=None):
        def part(width):
            return forms.TextInput(
                attrs={"inputmode": "numeric", "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}"}
            )

        super().__init__([part(2), part(2), part(4)], attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A local date typed as day, month and year; errors name the part that is wrong.

    Returns a ``datetime.date``. Raises ValidationError with GOV.UK-style messages
    ("Start date must be a real date", "… must include a year").
    """

    widget = GovukDateInput

    def __init__(self, *, label_lower: str = "date", **kwargs):
        self.label_lower = label_lower
        error_messages = {"required": f"Enter the {label_lower}", "incomplete": f"Enter the {label_lower}"}
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, error_messages=error_messages, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(str(v or "").strip() for v in data_list):
            return None
        day, month, year = (str(v or "").strip() for v in data_list)
        missing = [name for name, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise ValidationError(f"The {self.label_lower} must include a {' and '.join(missing)}")
        try:
            d, m, y = int(day), int(month), int(year)
        except ValueError:
            raise ValidationError(f"The {self.label_lower} must be a real date, like 27 3 2026") from None
        if y < 1900 or y > 2200:
            raise ValidationError(f"The {self.label_lower} must include a 4-digit year")
        try:
            return datetime.date(y, m, d)
        except ValueError:
            raise ValidationError(f"The {self.label_lower} must be a real date") from None


class GovukBoundField(BoundField):
    """A bound field that tells the template which GOV.UK component to draw."""

    @property
    def govuk_kind(self) -> str:
        widget = self.field.widget
        if isinstance(widget, GovukDateInput):
            return "date"
        # CheckboxSelectMultiple subclasses RadioSelect, so it must be tested first.
        if isinstance(widget, forms.CheckboxSelectMultiple):
            return "checkboxes"
        if isinstance(widget, forms.RadioSelect):
            return "radios"
        if isinstance(widget, forms.CheckboxInput):
            return "checkbox"
        if isinstance(widget, forms.Select):
            return "select"
        if isinstance(widget, forms.Textarea):
            return "textarea"
        if isinstance(widget, forms.FileInput):
            return "file"
        if isinstance(widget, forms.HiddenInput):
            return "hidden"
        return "input"

    @property
    def govuk_is_fieldset(self) -> bool:
        return self.govuk_kind in ("date", "radios", "checkboxes")

    @property
    def govuk_anchor(self) -> str:
        """The id the error summary links to: the first input of the field."""
        base = self.auto_id or self.html_name
        if self.govuk_is_fieldset:
            return f"{base}_0"
        return base

    @property
    def govuk_hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def govuk_error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def govuk_describedby(self) -> str:
        ids = []
        if self.help_text:
            ids.append(self.govuk_hint_id)
        if self.errors:
            ids.append(self.govuk_error_id)
        return " ".join(ids)

    def govuk_widget(self):
        """The widget's HTML with GOV.UK classes and aria-describedby added."""
        kind = self.govuk_kind
        css = {
            "input": "govuk-input",
            "select": "govuk-select",
            "textarea": "govuk-textarea",
            "file": "govuk-file-upload",
        }.get(kind, "")
        attrs = {}
        existing = self.field.widget.attrs.get("class", "")
        if css:
            classes = f"{css} {existing}".strip()
            if self.errors:
                classes += f" {css}--error"
            attrs["class"] = classes
        if self.govuk_describedby:
            attrs["aria-describedby"] = self.govuk_describedby
        return self.as_widget(attrs=attrs)

    def govuk_options(self):
        """For radios and checkboxes: each option as a dict (id, value, label, checked, hint)."""
        options = []
        for i, sub in enumerate(self.subwidgets):
            data = sub.data
            options.append(
                {
                    "id": f"{self.auto_id}_{i}",
                    "name": data["name"],
                    "value": data["value"],
                    "label": data["label"],
                    "checked": data["selected"],
                    "attrs": data["attrs"],
                }
            )
        return options

    def govuk_date_parts(self):
        """For the date input: (id, name, label, value, width) per part."""
        widget = self.field.widget
        value = self.value()
        if isinstance(value, (list, tuple)):
            values = list(value) + [None] * (3 - len(value))
        else:
            values = widget.decompress(value)
        parts = []
        for i, (label, width) in enumerate((("Day", 2), ("Month", 2), ("Year", 4))):
            parts.append(
                {
                    "id": f"{self.auto_id}_{i}",
                    "name": f"{self.html_name}_{i}",
                    "label": label,
                    "value": "" if values[i] is None else values[i],
                    "width": width,
                }
            )
        return parts
