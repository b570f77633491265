"""Real-browser testing: Playwright driving Debian's Chromium, and axe-core checks.

Chromium comes from Debian's ``chromium`` package (``/usr/bin/chromium``, installed by
``make test``); Playwright's own browser download cannot work offline. axe-core is the copy
bundled in ``axe-playwright-python``.
"""

from __future__ import annotations

import os
import shutil

from axe_playwright_python.sync_playwright import Axe

# The WCAG levels we promise (accessibility statement): 2.0, 2.1 and 2.2, A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",  # the test machine has no internet
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# A phone-like user agent: an empty or headless UA would be flagged as a bot.
MOBILE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Mobile Safari/537.36"
)


def chromium_path() -> str:
    """Path of the system Chromium; raises RuntimeError with the fix when it is missing."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        raise RuntimeError("Chromium not found: run `make test` (installs Debian's chromium)")
    return path


_axe = Axe()


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page for WCAG 2.2 A/AA; return the violations (id, nodes…)."""
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return results.response["violations"]


def describe_violations(violations: list[dict]) -> str:
    """Human-readable summary of axe violations, for assertion messages."""
    lines = []
    for v in violations:
        targets = ", ".join(str(n.get("target")) for n in v.get("nodes", [])[:5])
        lines.append(f"{v['id']} ({v.get('impact')}): {v.get('help')} at {targets}")
    return "\n".join(lines)
