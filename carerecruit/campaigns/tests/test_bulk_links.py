"""Tracked links in bulk: pasted CSV, uploaded CSV or XLSX → preview with per-row checks
→ create all or nothing."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from carerecruit.campaigns import bulk_links
from carerecruit.campaigns.models import TrackedLink

from .helpers import login

pytestmark = pytest.mark.django_db

THREE_ROWS = (
    "channel,label,utm_content,utm_term,destination_path\n"
    "facebook,Nurse video 3 May,video-1,,\n"
    "LinkedIn,Carousel for managers,carousel-2,,\n"
    "qr,Leaflet for GP surgeries,leaflet-a5,,/apply/\n"
)


@pytest.fixture
def manager(client, personas):
    login(client, personas.campaign_manager)
    return client


def bulk_url(campaign):
    return f"/staff/campaigns/{campaign.slug}/links/bulk/"


def payload_of(html: str) -> str:
    return re.search(r'name="payload" value="([^"]+)"', html).group(1)


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading (plain functions) ------------------------------------------------------------


def test_read_text_with_bom_tabs_and_any_column_order():
    table = bulk_links.read_text("\ufeffLabel\tChannel\n\nSearch ad\tGoogle Ads\nTweet 1\tTwitter\n")
    assert table.problems == []
    assert [(row.line, row.values) for row in table.rows] == [
        (3, {"label": "Search ad", "channel": "Google Ads"}),
        (4, {"label": "Tweet 1", "channel": "Twitter"}),
    ]
    checked = bulk_links.check_tables([table])
    assert checked.is_valid
    assert [(a["channel"], a["label"]) for a in checked.link_arguments()] == [
        ("google_ads", "Search ad"), ("x", "Tweet 1"),
    ]


def test_header_problems_are_reported_once():
    checked = bulk_links.check_tables([bulk_links.read_text("chanel,label,utm_contnet\nfacebook,x,y\n")])
    assert checked.messages() == [
        ("id_rows", "Line 1: the header row has unknown columns chanel, utm_contnet; the columns are "
                    "channel, label, utm_content, utm_term, destination_path"),
        ("id_rows", "Line 1: the header row must include channel (the columns are channel, label, "
                    "utm_content, utm_term, destination_path)"),
    ]


def test_too_many_values_and_empty_tables():
    checked = bulk_links.check_tables([bulk_links.read_text("channel,label\nfacebook,Post,extra\n")])
    assert checked.messages() == [("row-pasted-2", "Line 2: there are 3 values but the header row names 2 columns")]
    assert bulk_links.check_tables([bulk_links.read_text("\n\n")]).messages() == [
        ("id_rows", "The pasted text has no rows: give a header row, then one row per link"),
    ]
    assert bulk_links.check_tables([bulk_links.read_text("channel,label\n")]).messages() == [
        ("id_rows", "Line 1: the header row is not followed by any links"),
    ]


def test_destination_path_and_lengths_are_checked_like_single_links():
    checked = bulk_links.check_tables([bulk_links.read_text(
        "channel,label,destination_path,utm_content\n"
        f"email,Mailshot,//evil.example/,\n"
        f"email,Mailshot,apply/,{'x' * 256}\n"
        f"email,Mailshot,//evil,\n"
        f"email,Mailshot,jobs/nurses,\n"
        f",{'y' * 201},apply,\n"
    )])
    assert [text for _anchor, text in checked.messages()] == [
        "Line 2, destination_path: Enter a page of the microsite, like apply/, not a web address",
        "Line 3, utm_content: UTM content must be 255 characters or fewer",
        "Line 4, destination_path: Enter a page of the microsite, like apply/, not a web address",
        "Line 5, destination_path: There is no such page on the microsite: leave this blank for "
        "its home page, or enter apply/ for the application form",
        "Line 6, channel: Enter a channel",
        "Line 6, label: What the link is for must be 200 characters or fewer",
    ]


# --- The page -----------------------------------------------------------------------------


def test_three_pasted_rows_preview_then_create_three_links(manager, personas, campaign):
    response = manager.post(bulk_url(campaign), {"rows": THREE_ROWS})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Check the links: Come Back to Care – " in html
    assert ">Create 3 links</button>" in html
    assert 'id="row-pasted-2" data-line="2"' in html
    assert "Carousel for managers" in html
    assert TrackedLink.objects.count() == 0  # nothing until confirmed

    response = manager.post(bulk_url(campaign), {"payload": payload_of(html)})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/campaigns/{campaign.slug}/links/"
    links = list(TrackedLink.objects.order_by("id"))
    assert [(link.channel, link.label, link.utm_source, link.utm_medium, link.utm_campaign,
             link.utm_content, link.destination_path) for link in links] == [
        ("facebook", "Nurse video 3 May", "facebook", "social", "come-back-to-care", "video-1", ""),
        ("linkedin", "Carousel for managers", "linkedin", "social", "come-back-to-care", "carousel-2", ""),
        ("qr", "Leaflet for GP surgeries", "qr", "print", "come-back-to-care", "leaflet-a5", "apply/"),
    ]
    assert {link.created_by for link in links} == {personas.campaign_manager}
    assert len({link.code for link in links}) == 3
    page = manager.get(response["Location"]).content.decode()
    assert "3 tracked links created." in page


def test_bad_channel_on_line_3_and_blank_label_on_line_5_create_nothing(manager, campaign):
    content = (
        "channel,label,utm_content,utm_term,destination_path\r\n"
        "facebook,Post 1,a,,\r\n"
        "myspace,Post 2,b,,\r\n"
        "instagram,Post 3,c,,\r\n"
        "email, ,d,,\r\n"
    ).encode("utf-8-sig")
    response = manager.post(bulk_url(campaign), {
        "rows": "", "file": SimpleUploadedFile("links.csv", content, content_type="text/csv"),
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Create many tracked links: Come Back to Care – " in html
    assert "No links were created: 2 problems to fix" in html
    assert ('<a href="#row-file-3">Line 3, channel: “myspace” is not a channel; use one of facebook, '
            "instagram, linkedin, x, tiktok, email, google_ads, press, qr, other</a>") in html
    assert '<a href="#row-file-5">Line 5, label: Enter what the link is for</a>' in html
    assert 'id="row-file-3" data-line="3" data-invalid="true"' in html
    assert 'name="payload"' not in html
    assert TrackedLink.objects.count() == 0


def test_xlsx_upload(manager, campaign):
    content = xlsx([
        ["Channel", "Label", "UTM content", "utm_term", "destination_path"],
        ["tiktok", "Day in the life", 2024, None, None],
        [None, None, None, None, None],
        ["Google Ads", "Search: care jobs", "ad-1", "care jobs birmingham", "apply/"],
    ])
    response = manager.post(bulk_url(campaign), {"file": SimpleUploadedFile("links.xlsx", content)})
    html = response.content.decode()
    assert ">Create 2 links</button>" in html
    assert 'id="row-file-4" data-line="4"' in html
    manager.post(bulk_url(campaign), {"payload": payload_of(html)})
    assert list(TrackedLink.objects.order_by("id").values_list("channel", "label", "utm_content", "utm_term")) == [
        ("tiktok", "Day in the life", "2024", ""),
        ("google_ads", "Search: care jobs", "ad-1", "care jobs birmingham"),
    ]


def test_xlsx_with_a_bad_row_names_its_sheet_row(manager, campaign):
    content = xlsx([["channel", "label"], ["facebook", "ok"], ["direct", "not allowed"]])
    html = manager.post(bulk_url(campaign), {"file": SimpleUploadedFile("ads.xlsx", content)}).content.decode()
    assert "Line 3, channel: “direct” is not a channel" in html
    assert TrackedLink.objects.count() == 0


def test_pasted_rows_and_a_file_together_name_their_source(manager, campaign):
    response = manager.post(bulk_url(campaign), {
        "rows": "channel,label\nfacebook,Pasted post\n",
        "file": SimpleUploadedFile("more.csv", b"channel,label\nfax,Bad\n"),
    })
    html = response.content.decode()
    assert '<a href="#row-file-2">More.csv, line 2, channel: “fax” is not a channel' in html
    assert TrackedLink.objects.count() == 0

    response = manager.post(bulk_url(campaign), {
        "rows": "channel,label\nfacebook,Pasted post\n",
        "file": SimpleUploadedFile("more.csv", b"channel,label\nx,Tweet\n"),
    })
    manager.post(bulk_url(campaign), {"payload": payload_of(response.content.decode())})
    assert list(TrackedLink.objects.order_by("id").values_list("label", flat=True)) == ["Pasted post", "Tweet"]


def test_nothing_given(manager, campaign):
    html = manager.post(bulk_url(campaign), {"rows": "  "}).content.decode()
    assert '<a href="#id_rows">Paste rows or choose a file</a>' in html


@pytest.mark.parametrize(("content", "message"), [
    (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "links.xls is an Excel 97–2003 (.xls) file: save it as .xlsx or CSV"),
    ("channel,label\nfacebook,Caf\u00e9\n".encode("latin-1"), "links.xls must be a CSV file saved as UTF-8"),
    (b"PK\x03\x04 not really a zip", "links.xls is not an Excel workbook we can read"),
])
def test_unreadable_files(manager, campaign, content, message):
    html = manager.post(bulk_url(campaign), {"file": SimpleUploadedFile("links.xls", content)}).content.decode()
    assert message in html
    assert TrackedLink.objects.count() == 0


def test_a_tampered_payload_is_refused(manager, campaign):
    html = manager.post(bulk_url(campaign), {"rows": THREE_ROWS}).content.decode()
    payload = payload_of(html)
    response = manager.post(bulk_url(campaign), {"payload": payload[:-3] + "abc"})
    assert response.status_code == 400
    assert "This preview has expired or was changed." in response.content.decode()
    assert TrackedLink.objects.count() == 0


def test_a_payload_is_only_good_for_its_own_campaign(manager, campaign):
    from carerecruit.testing.factories import make_campaign

    other = make_campaign("other-campaign")
    payload = payload_of(manager.post(bulk_url(campaign), {"rows": THREE_ROWS}).content.decode())
    assert manager.post(bulk_url(other), {"payload": payload}).status_code == 400
    assert TrackedLink.objects.count() == 0


def test_a_payload_is_checked_again(manager, campaign):
    from django.core import signing

    from carerecruit.campaigns.staff_views import BULK_SALT

    forged = signing.dumps(
        [{"source": "pasted rows", "line": 2, "values": {"channel": "direct", "label": "x"}}],
        salt=f"{BULK_SALT}:{campaign.pk}", compress=True,
    )
    html = manager.post(bulk_url(campaign), {"payload": forged}).content.decode()
    assert "Line 2, channel: “direct” is not a channel" in html
    assert TrackedLink.objects.count() == 0


def test_too_many_rows(manager, campaign):
    rows = "channel,label\n" + "".join(f"facebook,Post {i}\n" for i in range(501))
    html = manager.post(bulk_url(campaign), {"rows": rows}).content.decode()
    assert "There are 501 links: create at most 500 at a time" in html
    assert TrackedLink.objects.count() == 0


@pytest.mark.parametrize("persona", ["council_a_recruiter", "provider_recruiter", "viewer"])
def test_read_only_roles_get_403(client, personas, campaign, persona):
    login(client, getattr(personas, persona))
    assert client.get(bulk_url(campaign)).status_code == 403
    assert client.post(bulk_url(campaign), {"rows": THREE_ROWS}).status_code == 403
    assert TrackedLink.objects.count() == 0


def test_unknown_campaign_is_404(manager):
    assert manager.get("/staff/campaigns/nope/links/bulk/").status_code == 404
