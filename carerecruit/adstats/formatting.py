"""Showing ad-platform figures to people: money, counts, platform names."""

from __future__ import annotations

from decimal import Decimal

from carerecruit.adstats.parsers import CURRENCY_EXPONENT

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "US$"}


def format_money(minor_units: int | None, currency: str) -> str:
    """``"£364.81"`` for (36481, "GBP"); ``"CHF 12.30"`` for other ISO 4217 codes;
    "" for None. Uses the currency's own number of decimals."""
    if minor_units is None:
        return ""
    exponent = CURRENCY_EXPONENT.get(currency, 2)
    amount = Decimal(minor_units).scaleb(-exponent)
    text = f"{amount:,.{exponent}f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{currency} {text}".strip()


def format_count(value: int | Decimal | None, unknown: str = "not reported") -> str:
    """``"89,163"``; a Decimal without a fraction as a whole number (``55``, not
    ``55.00``); ``unknown`` for None."""
    if value is None:
        return unknown
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return f"{int(value):,}"
        return f"{value.normalize():,}"
    return f"{value:,}"
