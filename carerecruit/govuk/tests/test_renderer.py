"""The GOV.UK form renderer: error summary, field errors, fieldsets, kept values."""

import datetime
import re

import pytest
from django import forms
from django.template import Context, Template

from carerecruit.govuk.forms import GovukDateField

PAGE = Template("{% load govuk %}{% govuk_error_summary form %}{{ form }}")


class SampleForm(forms.Form):
    """One field of each GOV.UK component the project uses."""

    full_name = forms.CharField(
        label="Full name", error_messages={"required": "Enter your full name"}
    )
    hours = forms.ChoiceField(
        label="Hours you want",
        widget=forms.RadioSelect,
        choices=[("full_time", "Full time"), ("part_time", "Part time")],
        error_messages={"required": "Select the hours you want"},
    )
    roles = forms.MultipleChoiceField(
        label="Job roles",
        widget=forms.CheckboxSelectMultiple,
        choices=[("6", "Social worker"), ("15", "Occupational therapist")],
        error_messages={"required": "Select at least one job role"},
    )
    start = GovukDateField(
        label="Earliest start date", label_lower="start date", help_text="For example, 27 3 2026"
    )
    talent_bank = forms.BooleanField(required=False, label="Keep me in the talent bank")
    nickname = forms.CharField(required=False, label="Nickname")


def render(form):
    return PAGE.render(Context({"form": form}))


def summary_links(html):
    """(href, text) of each link in the error summary, in order."""
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="(#[^"]+)">([^<]+)</a>', summary)


def test_valid_form_renders_no_error_summary():
    form = SampleForm(
        data={
            "full_name": "Ann Lee", "hours": "full_time", "roles": ["6"],
            "start_0": "1", "start_1": "6", "start_2": "2026",
        }
    )

    assert form.is_valid(), form.errors
    html = render(form)
    assert "govuk-error-summary" not in html
    assert "govuk-form-group--error" not in html


def test_errors_link_from_the_summary_to_each_field():
    form = SampleForm(data={"full_name": "", "start_0": "", "start_1": "", "start_2": ""})

    assert not form.is_valid()
    html = render(form)

    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert summary_links(html) == [
        ("#id_full_name", "Enter your full name"),
        ("#id_hours_0", "Select the hours you want"),
        ("#id_roles_0", "Select at least one job role"),
        ("#id_start_0", "Enter the start date"),
    ]
    # Every link target exists on the page.
    for anchor in ("id_full_name", "id_hours_0", "id_roles_0", "id_start_0"):
        assert f'id="{anchor}"' in html
    assert html.count("govuk-form-group--error") == 4
    assert 'class="govuk-input govuk-input--error"' in html
    assert (
        '<p id="id_full_name-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> Enter your full name</p>'
    ) in html
    # Fieldsets describe themselves by their hint and their error.
    assert 'aria-describedby="id_start-hint id_start-error"' in html
    assert 'aria-describedby="id_hours-error"' in html
    # Optional fields say so; required ones do not.
    assert "Nickname (optional)" in html
    assert "Full name (optional)" not in html


def test_components_render_as_govuk_markup():
    html = render(SampleForm())

    assert '<div class="govuk-radios" data-module="govuk-radios">' in html
    assert 'class="govuk-radios__input" id="id_hours_1" name="hours" type="radio" value="part_time"' in html
    assert 'class="govuk-checkboxes__input" id="id_roles_1" name="roles" type="checkbox" value="15"' in html
    assert '<div class="govuk-date-input" id="id_start">' in html
    assert 'id="id_start_2" name="start_2" type="text" inputmode="numeric"' in html
    assert '<label class="govuk-label govuk-checkboxes__label" for="id_talent_bank">Keep me in the talent bank</label>' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Earliest start date</legend>' in html


def test_values_are_kept_when_another_field_has_an_error():
    form = SampleForm(
        data={
            "full_name": "Siobhán O’Neill-Smith <b>",
            "hours": "part_time",
            "roles": ["6", "15"],
            "start_0": "31", "start_1": "4", "start_2": "2020",
            "talent_bank": "on",
        }
    )

    assert not form.is_valid()
    html = render(form)

    assert summary_links(html) == [("#id_start_0", "The start date must be a real date")]
    assert 'value="Siobhán O’Neill-Smith &lt;b&gt;"' in html
    assert 'id="id_hours_1" name="hours" type="radio" value="part_time" checked' in html
    assert 'id="id_hours_0" name="hours" type="radio" value="full_time">' in html
    assert 'id="id_roles_0" name="roles" type="checkbox" value="6" checked' in html
    assert 'id="id_roles_1" name="roles" type="checkbox" value="15" checked' in html
    assert 'id="id_start_0" name="start_0" type="text" inputmode="numeric" value="31"' in html
    assert 'id="id_start_1" name="start_1" type="text" inputmode="numeric" value="4"' in html
    assert 'id="id_start_2" name="start_2" type="text" inputmode="numeric" value="2020"' in html
    assert 'id="id_talent_bank" name="talent_bank" type="checkbox" value="on" checked' in html


def test_non_field_errors_appear_in_the_summary():
    class ClashForm(SampleForm):
        def clean(self):
            raise forms.ValidationError("You have already applied to this campaign")

    form = ClashForm(
        data={
            "full_name": "Ann Lee", "hours": "full_time", "roles": ["6"],
            "start_0": "1", "start_1": "6", "start_2": "2026",
        }
    )

    assert not form.is_valid()
    assert "<li>You have already applied to this campaign</li>" in render(form)


class DateForm(forms.Form):
    start = GovukDateField(label="Earliest start date", label_lower="start date")
    end = GovukDateField(label="Last day", label_lower="last day", required=False)


@pytest.mark.parametrize(
    ("day", "month", "year", "error"),
    [
        ("31", "04", "2020", "The start date must be a real date"),
        ("29", "2", "2021", "The start date must be a real date"),
        ("1", "13", "2020", "The start date must be a real date"),
        ("one", "4", "2020", "The start date must be a real date, like 27 3 2026"),
        ("1", "4", "", "The start date must include a year"),
        ("", "4", "2020", "The start date must include a day"),
        ("", "", "2020", "The start date must include a day and month"),
        ("1", "4", "20", "The start date must include a 4-digit year"),
        ("", "", "", "Enter the start date"),
    ],
)
def test_date_field_errors(day, month, year, error):
    form = DateForm(data={"start_0": day, "start_1": month, "start_2": year})

    assert not form.is_valid()
    assert form.errors["start"] == [error]


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("30", "4", "2020", datetime.date(2020, 4, 30)),
        (" 01 ", "04", " 2020", datetime.date(2020, 4, 1)),
        ("29", "2", "2024", datetime.date(2024, 2, 29)),
    ],
)
def test_date_field_valid(day, month, year, expected):
    form = DateForm(data={"start_0": day, "start_1": month, "start_2": year})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == expected
    assert form.cleaned_data["end"] is None


def test_date_field_shows_an_initial_date_in_its_parts():
    html = render(DateForm(initial={"start": datetime.date(2026, 3, 27)}))

    assert 'name="start_0" type="text" inputmode="numeric" value="27"' in html
    assert 'name="start_1" type="text" inputmode="numeric" value="3"' in html
    assert 'name="start_2" type="text" inputmode="numeric" value="2026"' in html
