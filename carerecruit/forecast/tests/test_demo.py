"""The demo's simulated forecast history."""

import datetime

from carerecruit.candidates.models import Application, Candidate
from carerecruit.forecast.demo import CAMPAIGN_SLUG, load_forecast_history, simulated_monthly_counts
from carerecruit.forecast.models import Measure
from carerecruit.forecast.series import build_series


def test_simulated_history_gives_seasonal_length_series(personas):
    counts = simulated_monthly_counts()
    assert counts == simulated_monthly_counts()  # deterministic
    total = load_forecast_history()
    assert total == sum(sum(v) for v in counts.values())
    assert load_forecast_history() == 0  # once only
    apps = Application.objects.filter(campaign__slug=CAMPAIGN_SLUG)
    assert apps.count() == total and not apps.filter(is_simulated=False).exists()
    assert not Candidate.objects.filter(email_normalised__endswith="@simulated-history.example",
                                        is_simulated=False).exists()
    series = {(s.council_id, s.job_role_code): s
              for s in build_series(Measure.APPLICATIONS, today=datetime.date(2020, 4, 15))}
    birmingham_care = series[(personas.council_a.pk, 8)]
    assert birmingham_care.months[0] == datetime.date(2017, 10, 1)
    assert birmingham_care.months[-1] == datetime.date(2020, 3, 1)
    assert birmingham_care.values == [float(v) for v in counts[("E08000025", 8)]]
    assert len(birmingham_care.values) == 30  # ≥ 24: the seasonal model

    from carerecruit.demo.simulation import delete_demo

    delete_demo()
    assert not Application.objects.filter(campaign__slug=CAMPAIGN_SLUG).exists()
    assert not Candidate.objects.filter(email_normalised__endswith="@simulated-history.example").exists()
