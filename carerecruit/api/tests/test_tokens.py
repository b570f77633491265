"""Token lifecycle and authentication: made once, stored as a hash, revoked → 401,
last use recorded; every error JSON; each request logged without personal data."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from carerecruit.api.actions import do_create_api_token, do_revoke_api_token
from carerecruit.api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_as_its_hash_only(personas):
    token, secret = do_create_api_token(organisation=personas.council_a, name="Power BI", created_by=personas.regional_admin)
    assert secret.startswith("crk_") and len(secret) == 47
    token.refresh_from_db()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12]
    assert (token.organisation, token.name, token.created_by) == (personas.council_a, "Power BI", personas.regional_admin)
    assert token.last_used_at is None and token.revoked_at is None
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get(pk=token.pk)]
    assert secret not in stored


def test_use_updates_last_used_and_revoking_answers_401(personas, api):
    token, secret = do_create_api_token(organisation=personas.council_a, name="BI", created_by=personas.regional_admin)
    before = timezone.now()
    assert api(secret, "/api/v1/campaigns/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at >= before
    # Within a minute the time is not written again (no UPDATE per request).
    first_use = token.last_used_at
    assert api(secret, "/api/v1/campaigns/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first_use
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - datetime.timedelta(minutes=5))
    api(secret, "/api/v1/campaigns/")
    token.refresh_from_db()
    assert token.last_used_at > first_use - datetime.timedelta(minutes=5)

    assert do_revoke_api_token(token, revoked_by=personas.regional_admin) is True
    assert do_revoke_api_token(token, revoked_by=personas.regional_admin) is False
    token.refresh_from_db()
    assert token.revoked_by == personas.regional_admin
    response = api(secret, "/api/v1/campaigns/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {
        "status": 401, "code": "not_authenticated",
        "message": "This API token is not valid: it is unknown or has been revoked.",
    }


@pytest.mark.parametrize("header", [None, "Bearer crk_nonsense", "Token abc", "Bearer", "Bearer a b"])
def test_missing_or_unknown_tokens_answer_401(client, db, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/workforce/", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_authenticated"


def test_errors_are_json(personas, make_token, api, client):
    secret = make_token(personas.council_a)
    response = api(secret, "/api/v1/no-such-thing/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert response.json() == {"status": 404, "code": "not_found", "message": "No such API endpoint. See /api/v1/openapi.json."}
    assert client.get("/api/v1/campaigns").status_code == 404  # no redirect to HTML
    # Found by schemathesis: an encoded newline in a path once fell through to the HTML page.
    response = api(secret, "/api/v1/campaigns/a%0Ab/funnel/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    response = client.post("/api/v1/campaigns/", {}, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 405
    assert response.json() == {"status": 405, "code": "method_not_allowed", "message": 'Method "POST" not allowed.'}
    response = client.get("/api/v1/campaigns/", headers={"Authorization": f"Bearer {secret}", "Accept": "text/html"})
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")


def test_rate_limit_answers_429_with_retry_after(personas, make_token, api, settings):
    settings.CARERECRUIT_API_RATE_LIMIT = "3/min"
    secret, other = make_token(personas.council_a), make_token(personas.council_b)
    assert [api(secret, "/api/v1/campaigns/").status_code for _ in range(3)] == [200, 200, 200]
    response = api(secret, "/api/v1/campaigns/")
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    assert response.json() == {
        "status": 429, "code": "rate_limited",
        "message": f"Too many requests for this token: try again in {wait} second{'' if wait == 1 else 's'}.",
    }
    # Per token: another organisation's token is not held back.
    assert api(other, "/api/v1/campaigns/").status_code == 200


@pytest.mark.parametrize(("wait", "message"), [
    (1, "try again in 1 second."), (0.2, "try again in 1 second."), (2, "try again in 2 seconds."),
    (59, "try again in 59 seconds."),
])
def test_the_rate_limit_message_counts_seconds(wait, message):
    from rest_framework.exceptions import Throttled

    from carerecruit.api.errors import json_exception_handler

    response = json_exception_handler(Throttled(wait=wait), {"request": None, "view": None})
    assert response.status_code == 429
    assert response.data["message"] == f"Too many requests for this token: {message}"


def test_the_throttle_counts_in_the_shared_database_cache(personas, make_token, api, settings):
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    settings.CARERECRUIT_API_RATE_LIMIT = "2/min"
    assert isinstance(caches["api"], DatabaseCache)
    secret = make_token(personas.council_a)
    api(secret, "/api/v1/campaigns/")
    token = ApiToken.objects.get(prefix=secret[:12])
    assert len(caches["api"].get(f"throttle_api_token_{token.token_hash[:32]}")) == 1


def test_every_request_is_logged_without_the_secret(personas, make_token, api, caplog):
    secret = make_token(personas.council_a)
    with caplog.at_level("INFO", logger="carerecruit.api.access"):
        api(secret, "/api/v1/placements/", council="E08000026")
        api("crk_wrong", "/api/v1/placements/")
    lines = [r.getMessage() for r in caplog.records if r.name == "carerecruit.api.access"]
    assert lines == [
        f"api token={secret[:12]} organisation={personas.council_a.pk} GET /api/v1/placements/?council=E08000026 status=200",
        "api token=- organisation=- GET /api/v1/placements/ status=401",
    ]
    assert secret not in caplog.text


def test_the_openapi_document(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert sorted(document["paths"]) == [
        "/api/v1/campaigns/", "/api/v1/campaigns/{slug}/funnel/", "/api/v1/placements/",
        "/api/v1/regional/campaign-return/", "/api/v1/regional/councils/", "/api/v1/regional/demand/",
        "/api/v1/regional/flow/", "/api/v1/regional/retention/", "/api/v1/regional/supply/",
        "/api/v1/vacancies/", "/api/v1/workforce/",
    ]
    assert document["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    placements = document["paths"]["/api/v1/placements/"]["get"]
    assert {p["name"] for p in placements["parameters"]} == {"start", "end", "council", "role", "page", "page_size"}
    assert set(placements["responses"]) == {"200", "400", "401", "404", "429"}
    count = document["components"]["schemas"]["PlacementAggregate"]["properties"]["placements"]
    assert [s.get("type") for s in count["oneOf"]] == ["integer", "string"]
    assert count["oneOf"][1]["enum"] == ["<5"]
