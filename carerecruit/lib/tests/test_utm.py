import pytest
from django.http import QueryDict

from carerecruit.lib.utm import channel_for, clean_text, normalise_utm, normalise_utm_value


def test_source_and_medium_are_one_value_whatever_the_case():
    assert normalise_utm_value("utm_source", "Facebook") == "facebook"
    assert normalise_utm_value("utm_source", " facebook ") == "facebook"
    assert normalise_utm_value("utm_medium", "Paid Social") == "paid social"


@pytest.mark.parametrize(
    "query", ["utm_campaign=Spring%20Push", "utm_campaign=Spring+Push", "utm_campaign=Spring++Push"]
)
def test_campaign_spaces_from_a_query_string(query):
    assert normalise_utm(QueryDict(query))["utm_campaign"] == "Spring Push"


def test_raw_query_text_is_decoded_when_asked():
    assert normalise_utm_value("utm_campaign", "Spring+Push", url_encoded=True) == "Spring Push"
    assert normalise_utm_value("utm_campaign", "Spring%20Push", url_encoded=True) == "Spring Push"


def test_double_encoded_value_is_decoded_and_a_deliberate_plus_kept():
    # ?utm_campaign=Spring%2520Push reaches request.GET as "Spring%20Push".
    assert normalise_utm(QueryDict("utm_campaign=Spring%2520Push"))["utm_campaign"] == "Spring Push"
    # ?utm_term=C%2B%2B reaches request.GET as "C++": the plus was meant.
    assert normalise_utm(QueryDict("utm_term=C%2B%2B"))["utm_term"] == "C++"


def test_case_is_kept_for_campaign_content_and_term():
    assert normalise_utm(
        {"utm_campaign": "ComeBackToCare", "utm_content": "Video A", "utm_term": "Social Worker"}
    ) == {
        "utm_source": "",
        "utm_medium": "",
        "utm_campaign": "ComeBackToCare",
        "utm_content": "Video A",
        "utm_term": "Social Worker",
    }


def test_whitespace_is_collapsed_and_control_characters_dropped():
    assert clean_text("  Spring \t\n Push\x00 ", 100) == "Spring Push"


def test_values_are_cut_to_their_column_length():
    values = normalise_utm({"utm_content": "x" * 5000, "utm_source": "s" * 500, "utm_term": "t" * 300})
    assert len(values["utm_content"]) == 255
    assert len(values["utm_source"]) == 100
    assert len(values["utm_term"]) == 255


def test_missing_values_are_empty_strings():
    assert normalise_utm(QueryDict("")) == {
        "utm_source": "", "utm_medium": "", "utm_campaign": "", "utm_content": "", "utm_term": "",
    }


@pytest.mark.parametrize(
    ("source", "medium", "referrer", "channel"),
    [
        ("facebook", "", "", "facebook"),
        ("fb", "paid_social", "", "facebook"),
        ("ig", "", "", "instagram"),
        ("twitter", "", "", "x"),
        ("linkedin", "social", "", "linkedin"),
        ("tiktok", "", "", "tiktok"),
        ("newsletter", "", "", "email"),
        ("council-bulletin", "email", "", "email"),
        ("google", "cpc", "", "google_ads"),
        ("google", "organic", "", "other"),
        ("poster", "print", "", "qr"),
        ("some-blog", "", "", "other"),
        ("", "", "l.facebook.com", "facebook"),
        ("", "", "www.linkedin.com", "linkedin"),
        ("", "", "t.co", "x"),
        ("", "", "www.bbc.co.uk", "other"),
        ("", "", "", "direct"),
    ],
)
def test_channel_for_untracked_traffic(source, medium, referrer, channel):
    assert channel_for(source, medium, referrer) == channel
