import pytest

from carerecruit.tracking.bots import is_bot

from .conftest import ANDROID_CHROME, IPHONE_SAFARI

FACEBOOK_IN_APP = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.38.109;FBBV/614000000;FBDV/iPhone15,2;"
    "FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBID/phone;FBLC/en_GB;FBOP/5]"
)
INSTAGRAM_IN_APP = (
    "Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.122 Mobile Safari/537.36 Instagram "
    "339.0.0.30.105 Android"
)


@pytest.mark.parametrize(
    "user_agent",
    [
        "facebookexternalhit/1.1",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Twitterbot/1.0",
        "WhatsApp/2.23.20.0 A",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0",
        "",
        "   ",
        None,
        "Mozilla/5.0 " + "x" * 2000,
    ],
)
def test_bots(user_agent):
    assert is_bot(user_agent) is True


@pytest.mark.parametrize(
    "user_agent", [IPHONE_SAFARI, ANDROID_CHROME, FACEBOOK_IN_APP, INSTAGRAM_IN_APP]
)
def test_people_on_phones_are_not_bots(user_agent):
    assert is_bot(user_agent) is False
