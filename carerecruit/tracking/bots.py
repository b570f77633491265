"""Crawler and link-preview bot detection by user agent.

Uses the maintained ``crawlerdetect`` package (a port of JayBizzle's CrawlerDetect list:
search engines, ``facebookexternalhit``, ``Slackbot-LinkExpanding``, ``Twitterbot``,
``WhatsApp``, ``LinkedInBot``, headless browsers, HTTP libraries, …). Bot traffic is
recorded where the design says so but never counted.
"""

from __future__ import annotations

from crawlerdetect import CrawlerDetect

# One detector per process: building it compiles a very large regular expression, and
# it keeps an LRU cache of recent user agents, which is what makes the redirect hot path
# cheap (most clicks come from a few hundred distinct phone browsers).
_DETECTOR = CrawlerDetect()

# No real browser sends a user agent this long; a longer one is a tool, and checking it
# would only fill the detector's cache with junk.
MAX_USER_AGENT_LENGTH = 1024


def is_bot(user_agent: str | None) -> bool:
    """True when ``user_agent`` (the raw ``User-Agent`` header) is a crawler, link-preview
    bot, script or empty. Normal phone and desktop browsers (iPhone Safari, Android
    Chrome, the Facebook and Instagram in-app browsers) are not bots.

    An empty or missing header counts as a bot: every browser sends one.
    """
    ua = (user_agent or "").strip()
    if not ua or len(ua) > MAX_USER_AGENT_LENGTH:
        return True
    return _DETECTOR.is_crawler(ua)


def is_bot_request(request) -> bool:
    """:func:`is_bot` for a Django request's ``User-Agent`` header."""
    return is_bot(request.META.get("HTTP_USER_AGENT", ""))
