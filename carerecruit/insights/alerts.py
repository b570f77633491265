"""Alerts: a channel whose visit-to-application rate has fallen well below its own recent
rate, or whose cost per application is above the campaign's target.

Evaluated every few minutes by ``carerecruit worker`` (and by ``carerecruit
evaluate-alerts`` from cron) for every live campaign. Each alert is stored once per
(campaign, channel, kind, local date) and e-mailed once to the campaign's managers; see
:mod:`carerecruit.insights.actions`.

**Conversion sag** (kind ``conversion_sag``). For each channel of a live campaign, the
day judged is *today so far* and *yesterday* (a fall late in the evening is judged on
its complete day too). Its baseline is the same channel's 14 local days before the day
judged. The channel is flagged on that day when all of these hold:

1. the baseline is trustworthy: at least 100 visits and 10 applications in the 14 days
   (rate p₀ = applications ÷ visits);
2. the day is big enough to judge: expected applications n·p₀ ≥ 5, where n is the day's
   visits. Below that even no application at all is unremarkable (P(0) = e^(−n·p₀) is
   still 0.7% at 5 expected), so a small day cannot cry wolf;
3. the fall is large in practice: the day's rate is below half of p₀;
4. the fall is not chance: the exact one-sided binomial test, P(X ≤ x | n, p₀) for the
   day's x applications, is below 0.01 (:func:`carerecruit.insights.stats.binomial_lower_tail`;
   Conover 1999 §3.1).

Conditions 3 and 4 together mean a big channel is not flagged for a small, merely
"significant" dip, and a small channel is not flagged for an unlucky hour. p₀ is treated
as known: with 14 days against one it is estimated from ~14 times the visits, whose
uncertainty is small beside the day's. "Today so far" lags a little (visits in the last
minutes have not had time to apply), which condition 3's factor of two absorbs.

**Cost per application** (kind ``cost_per_application``). When the campaign has a
target (:class:`~carerecruit.insights.models.CampaignTarget`), each channel with ad spend
mapped to it, and the campaign as a whole (channel ""; unmapped spend counts here), is
judged over the last 7 complete local days (ad figures arrive by daily import, so today
is left out): flagged when at least one target's worth has been spent and spend ÷
applications is above the target (or there were no applications). Period-total ad
figures are not used: they cannot be placed in the 7 days.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from carerecruit.campaigns.models import Campaign
from carerecruit.insights import adfigures
from carerecruit.insights.counts import grouped_counts
from carerecruit.insights.funnel import channel_label, format_money, pence_per, percent
from carerecruit.insights.models import Alert, CampaignTarget
from carerecruit.insights.stats import binomial_lower_tail
from carerecruit.lib.localtime import local_today
from carerecruit.workforce.suppression import is_small

BASELINE_DAYS = 14
MIN_BASELINE_VISITS = 100
MIN_BASELINE_APPLICATIONS = 10
MIN_EXPECTED_APPLICATIONS = 5.0
MAX_RATE_RATIO = 0.5
P_VALUE = 0.01
COST_WINDOW_DAYS = 7


@dataclass(frozen=True)
class SagJudgement:
    """The conversion-sag rule applied to one channel-day (see the module docstring)."""

    visits: int
    applications: int
    baseline_visits: int
    baseline_applications: int
    expected: float | None
    p_value: float | None
    flagged: bool
    reason: str

    def detail(self) -> dict:
        return {
            "visits": self.visits,
            "applications": self.applications,
            "rate_percent": str(percent(self.applications, self.visits)),
            "baseline_days": BASELINE_DAYS,
            "baseline_visits": self.baseline_visits,
            "baseline_applications": self.baseline_applications,
            "baseline_rate_percent": str(percent(self.baseline_applications, self.baseline_visits)),
            "expected_applications": round(self.expected, 2) if self.expected is not None else None,
            "p_value": float(f"{self.p_value:.3g}") if self.p_value is not None else None,
        }


def judge_sag(visits: int, applications: int, baseline_visits: int, baseline_applications: int) -> SagJudgement:
    """Apply the conversion-sag rule to one channel on one day. Pure arithmetic."""

    def result(flagged, reason, expected=None, p_value=None):
        return SagJudgement(
            visits, applications, baseline_visits, baseline_applications,
            expected, p_value, flagged, reason,
        )

    if baseline_visits < MIN_BASELINE_VISITS or baseline_applications < MIN_BASELINE_APPLICATIONS:
        return result(False, "baseline too small")
    p0 = min(1.0, baseline_applications / baseline_visits)
    # More applications than visits (people applying on a second day) would break the
    # binomial model; such a day has certainly not sagged.
    if applications >= visits:
        return result(False, "no fall", visits * p0)
    expected = visits * p0
    if expected < MIN_EXPECTED_APPLICATIONS:
        return result(False, "day too small", expected)
    if applications >= MAX_RATE_RATIO * expected:
        return result(False, "fall too small", expected)
    p_value = binomial_lower_tail(applications, visits, p0)
    if p_value >= P_VALUE:
        return result(False, "not significant", expected, p_value)
    return result(True, "sagged", expected, p_value)


@dataclass(frozen=True)
class Finding:
    """An alert to raise (if not raised already that day)."""

    campaign: Campaign
    channel: str
    kind: str
    local_date: datetime.date
    detail: dict


def _event_counts(campaign_ids, start, end) -> dict:
    """{(campaign_id, channel, local_date): {"visit": n, "application": m}} from rollups
    and the live tail."""
    counts: dict = defaultdict(lambda: defaultdict(int))
    for (day, campaign_id, channel, kind), n in grouped_counts(campaign_ids, start, end).dated.items():
        if kind in ("visit", "application"):
            counts[(campaign_id, channel, day)][kind] += n
    return counts


def find_sags(campaigns: list[Campaign], today: datetime.date) -> list[Finding]:
    """Conversion sags of the campaigns' channels on ``today`` (so far) and yesterday."""
    if not campaigns:
        return []
    yesterday = today - datetime.timedelta(days=1)
    first = yesterday - datetime.timedelta(days=BASELINE_DAYS)
    counts = _event_counts([c.pk for c in campaigns], first, today)
    channels = {(campaign_id, channel) for campaign_id, channel, _ in counts}
    by_id = {c.pk: c for c in campaigns}
    findings = []
    for campaign_id, channel in sorted(channels):
        for day in (yesterday, today):
            day_counts = counts.get((campaign_id, channel, day), {})
            base_visits = base_apps = 0
            for offset in range(1, BASELINE_DAYS + 1):
                base = counts.get((campaign_id, channel, day - datetime.timedelta(days=offset)), {})
                base_visits += base.get("visit", 0)
                base_apps += base.get("application", 0)
            judgement = judge_sag(
                day_counts.get("visit", 0), day_counts.get("application", 0), base_visits, base_apps
            )
            if judgement.flagged:
                detail = judgement.detail() | {"day_is_complete": day < today}
                findings.append(Finding(by_id[campaign_id], channel, Alert.Kind.CONVERSION_SAG, day, detail))
    return findings


def find_costly_channels(campaigns: list[Campaign], today: datetime.date) -> list[Finding]:
    """Channels (and whole campaigns, channel "") whose cost per application over the
    last 7 complete days is above the campaign's target."""
    targets = dict(
        CampaignTarget.objects.filter(
            campaign__in=campaigns, target_cost_per_application_pence__isnull=False
        ).values_list("campaign_id", "target_cost_per_application_pence")
    )
    if not targets:
        return []
    start = today - datetime.timedelta(days=COST_WINDOW_DAYS)
    end = today - datetime.timedelta(days=1)
    ids = list(targets)
    spend: dict = defaultdict(int)
    applications: dict = defaultdict(int)
    for row in adfigures.daily_rows(ids, start, end):
        if row["currency"] != "GBP":
            continue  # Never compared with a target in pounds at a guessed rate.
        if row["channel"]:
            spend[(row["campaign_id"], row["channel"])] += row["spend_pence"]
        spend[(row["campaign_id"], "")] += row["spend_pence"]
    for (_day, campaign_id, channel, kind), n in grouped_counts(ids, start, end).dated.items():
        if kind == "application":
            applications[(campaign_id, channel)] += n
            applications[(campaign_id, "")] += n
    by_id = {c.pk: c for c in campaigns}
    findings = []
    for (campaign_id, channel), spent in sorted(spend.items()):
        target = targets[campaign_id]
        apps = applications.get((campaign_id, channel), 0)
        cost = pence_per(spent, apps)
        if spent >= target and (cost is None or cost > target):
            findings.append(Finding(
                by_id[campaign_id], channel, Alert.Kind.COST_PER_APPLICATION, today,
                {
                    "window_start": start.isoformat(),
                    "window_end": end.isoformat(),
                    "spend_pence": spent,
                    "applications": apps,
                    "cost_per_application_pence": cost,
                    "target_pence": target,
                },
            ))
    return findings


def evaluate_alerts(today: datetime.date | None = None) -> dict[str, int]:
    """Judge every live campaign not past its end date on ``today``, store new alerts and
    e-mail each new one to the campaign's managers. Idempotent: an alert already stored for its
    (campaign, channel, kind, local date) is not raised or e-mailed again. Also retries
    the e-mail of any alert of the last two days whose e-mail was never sent.

    Returns ``{"judged": campaigns, "raised": new alerts, "emailed": e-mails sent}``.
    """
    from carerecruit.insights.actions import do_raise_alert, send_pending_alert_emails

    today = today or local_today()
    # Only campaigns taking applications on ``today``: one past its end date still gets
    # visits through its links but, by design, no applications, which is no sag.
    campaigns = list(Campaign.objects.taking_applications(today).select_related("owner"))
    findings = find_sags(campaigns, today) + find_costly_channels(campaigns, today)
    existing = set(
        Alert.objects.filter(
            campaign__in=campaigns, local_date__gte=today - datetime.timedelta(days=1)
        ).values_list("campaign_id", "channel", "kind", "local_date")
    )
    raised = 0
    for finding in findings:
        key = (finding.campaign.pk, finding.channel, finding.kind, finding.local_date)
        if key in existing:
            continue
        try:
            with transaction.atomic():
                do_raise_alert(
                    finding.campaign, finding.channel, finding.kind, finding.local_date,
                    finding.detail, email=False,
                )
            raised += 1
        except IntegrityError:
            pass  # Another worker raised it a moment ago.
    emailed = send_pending_alert_emails(since=today - datetime.timedelta(days=1))
    return {"judged": len(campaigns), "raised": raised, "emailed": emailed}


def describe(alert: Alert, *, hide_small: bool = False) -> str:
    """One plain sentence explaining an alert, for the dashboard and the e-mail.

    ``hide_small``: the reader does not own the campaign's figures
    (:mod:`carerecruit.insights.suppression`), so 1 to 4 applications read "fewer than 5"
    and the rate, expectation and cost worked out from them are left out. The e-mail goes
    to the campaign's managers, who see every figure."""
    d = alert.detail
    where = channel_label(alert.channel) if alert.channel else "All channels"
    small = hide_small and is_small(d.get("applications"))
    applications = "fewer than 5" if small else f"{d['applications']:,}"
    if alert.kind == Alert.Kind.CONVERSION_SAG:
        day = "so far today" if not d.get("day_is_complete") else f"on {alert.local_date:%-d %B %Y}"
        if small:
            return (
                f"{where}: {applications} applications from {d['visits']:,} visits {day}, against "
                f"{d['baseline_rate_percent']}% over the previous {d['baseline_days']} days "
                f"(one-sided binomial test p = {d['p_value']:.2g})."
            )
        return (
            f"{where}: {applications} applications from {d['visits']:,} visits {day} "
            f"({d['rate_percent']}%), against {d['baseline_rate_percent']}% over the previous "
            f"{d['baseline_days']} days ({d['expected_applications']:g} applications expected; "
            f"one-sided binomial test p = {d['p_value']:.2g})."
        )
    cost = d.get("cost_per_application_pence")
    if small:
        cost_text = "cost per application withheld"
    else:
        cost_text = "no applications" if cost is None else f"{format_money(cost)} per application"
    return (
        f"{where}: {format_money(d['spend_pence'])} spent for {applications} applications "
        f"from {datetime.date.fromisoformat(d['window_start']):%-d %B} to "
        f"{datetime.date.fromisoformat(d['window_end']):%-d %B %Y} ({cost_text}), above the "
        f"target of {format_money(d['target_pence'])}."
    )
