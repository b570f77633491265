import datetime

import pytest
from django.test import RequestFactory, override_settings

from carerecruit.campaigns.models import Campaign
from carerecruit.tracking.models import DailyVisitor, VisitorSalt
from carerecruit.tracking.visitors import (
    client_ip,
    forget_cached_salts,
    purge_old_salts,
    salt_for,
    visitor_hash,
)

from .conftest import ANDROID_CHROME, IPHONE_SAFARI

DAY = datetime.date(2020, 4, 21)


def request(ip="203.0.113.7", ua=IPHONE_SAFARI, **meta):
    return RequestFactory().get("/c/x/", REMOTE_ADDR=ip, HTTP_USER_AGENT=ua, **meta)


def test_same_ip_and_browser_on_the_same_day_is_the_same_visitor(db):
    first = visitor_hash(request(), DAY)
    assert first == visitor_hash(request(), DAY)
    assert len(first) == 64
    assert int(first, 16) >= 0


def test_another_browser_or_address_or_day_is_another_visitor(db):
    base = visitor_hash(request(), DAY)
    assert visitor_hash(request(ua=ANDROID_CHROME), DAY) != base
    assert visitor_hash(request(ip="203.0.113.8"), DAY) != base
    assert visitor_hash(request(), DAY + datetime.timedelta(days=1)) != base


def test_salt_is_random_per_day_and_kept(db):
    salt = salt_for(DAY)
    assert len(salt) == 64
    assert VisitorSalt.objects.get(day=DAY).salt == salt
    forget_cached_salts()
    assert salt_for(DAY) == salt  # Read back, not made again.
    assert salt_for(DAY + datetime.timedelta(days=1)) != salt
    assert VisitorSalt.objects.count() == 2


def test_the_hash_does_not_contain_the_ip(db):
    assert "203.0.113.7" not in visitor_hash(request(), DAY)


def test_client_ip_is_remote_addr_without_proxies():
    assert client_ip(request(HTTP_X_FORWARDED_FOR="198.51.100.1")) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_ip_behind_one_proxy_is_the_hop_it_added():
    # The client wrote the first entry itself; our proxy appended the address it saw.
    assert client_ip(request(ip="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1")) == "198.51.100.1"
    assert client_ip(request(ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")) == "198.51.100.1"
    assert client_ip(request(ip="10.0.0.2")) == "10.0.0.2"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_client_ip_behind_two_proxies():
    forwarded = "1.2.3.4, 198.51.100.1, 10.0.0.9"
    assert client_ip(request(ip="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)) == "198.51.100.1"


def test_unparseable_address_is_empty():
    assert client_ip(request(ip="not an ip")) == ""
    assert client_ip(request(ip="2001:DB8::1")) == "2001:db8::1"


@pytest.mark.django_db
def test_purge_keeps_today_and_yesterday(campaign: Campaign):
    today = DAY
    old_salt = salt_for(today - datetime.timedelta(days=3))
    for offset in range(4):
        day = today - datetime.timedelta(days=offset)
        salt_for(day)
        DailyVisitor.objects.create(day=day, campaign=campaign, visitor_hash=f"{offset:064d}", channel="direct")
    assert purge_old_salts(today) == {"salts": 2, "daily_visitors": 2}
    assert sorted(VisitorSalt.objects.values_list("day", flat=True)) == [
        datetime.date(2020, 4, 20), datetime.date(2020, 4, 21)
    ]
    assert sorted(DailyVisitor.objects.values_list("day", flat=True)) == [
        datetime.date(2020, 4, 20), datetime.date(2020, 4, 21)
    ]
    assert purge_old_salts(today) == {"salts": 0, "daily_visitors": 0}
    # A purged day's salt is gone for good: its hashes can never be recomputed.
    forget_cached_salts()
    assert salt_for(today - datetime.timedelta(days=3)) != old_salt
