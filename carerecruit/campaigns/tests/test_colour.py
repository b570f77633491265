"""WCAG 2.x contrast maths for brand colours, and the form check built on it."""

import pytest
from django.core.exceptions import ValidationError

from carerecruit.campaigns.colour import (
    contrast_ratio,
    format_ratio,
    meets_aa_on_white,
    relative_luminance,
)
from carerecruit.campaigns.forms import check_brand_colour


def test_relative_luminance_of_black_white_and_primaries():
    assert relative_luminance("#000000") == 0.0
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert relative_luminance("#ff0000") == pytest.approx(0.2126)
    assert relative_luminance("#00ff00") == pytest.approx(0.7152)
    assert relative_luminance("#0000ff") == pytest.approx(0.0722)


def test_linear_segment_below_the_threshold():
    # 10/255 = 0.0392 <= 0.04045, so the channel is divided by 12.92, not raised to 2.4.
    assert relative_luminance("#0a0a0a") == pytest.approx((10 / 255) / 12.92)


def test_contrast_ratios():
    assert round(contrast_ratio("#1d3a5f"), 2) == 11.52
    assert round(contrast_ratio("#1d3a5f", "#ffffff"), 2) == round(contrast_ratio("#ffffff", "#1D3A5F"), 2)
    assert contrast_ratio("#000000") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff") == pytest.approx(1.0)
    assert round(contrast_ratio("#ffdd00"), 2) == 1.35
    assert round(contrast_ratio("#767676"), 2) == 4.54
    assert round(contrast_ratio("#777777"), 2) == 4.48


def test_aa_threshold():
    assert meets_aa_on_white("#1d3a5f")
    assert meets_aa_on_white("#767676")  # the lightest grey that passes
    assert not meets_aa_on_white("#777777")
    assert not meets_aa_on_white("#ffdd00")


def test_ratio_is_rounded_down_for_display():
    assert format_ratio(4.4999) == "4.49:1"
    assert format_ratio(11.5213) == "11.52:1"
    assert format_ratio(21.0) == "21.00:1"


@pytest.mark.parametrize("bad", ["1d3a5f", "#1d3a5", "#ggg000", "", "red"])
def test_not_a_colour(bad):
    with pytest.raises(ValueError):
        relative_luminance(bad)


def test_form_check_accepts_and_lower_cases():
    assert check_brand_colour(" #1D3A5F ") == "#1d3a5f"
    assert check_brand_colour("#767676") == "#767676"


def test_form_check_rejects_low_contrast_with_the_ratio():
    with pytest.raises(ValidationError) as raised:
        check_brand_colour("#FFDD00")
    assert raised.value.messages == [
        "#ffdd00 has a contrast of 1.34:1 against white; choose a darker colour (4.5:1 or more)"
    ]
    with pytest.raises(ValidationError) as raised:
        check_brand_colour("#777777")
    assert raised.value.messages == [
        "#777777 has a contrast of 4.47:1 against white; choose a darker colour (4.5:1 or more)"
    ]


def test_form_check_rejects_non_hex():
    with pytest.raises(ValidationError) as raised:
        check_brand_colour("navy")
    assert raised.value.messages == ["Enter the brand colour as # and 6 letters or numbers, like #1d3a5f"]
