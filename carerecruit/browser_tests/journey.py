"""Steps shared by the browser tests: filling the application form like a person would."""

from __future__ import annotations


def fill_application(page, *, name="Siobhán O’Neill-Smith", email="siobhan@example.org",
                     phone="07700 900123", postcode="b1  1aa") -> None:
    """Fill every required field of the application form on ``page`` (a social worker)."""
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Mobile phone number").fill(phone)
    page.get_by_label("Postcode").fill(postcode)
    page.get_by_label("Social worker").check()
    page.get_by_label("Social Work England registration number").fill("sw 104233")
    page.get_by_label("Years of experience").fill("12")
    page.get_by_label("Day").fill("4")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year", exact=True).fill("2030")
    page.get_by_label("Full time").check()
    page.locator("input[name=right_to_work][value=yes]").check()


def sign_in(page, live_server_url: str, username: str, password: str) -> None:
    """Sign in to the staff area through the real login form."""
    page.goto(f"{live_server_url}/staff/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server_url}/staff/")
