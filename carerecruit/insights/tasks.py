"""Background tasks of the insights app (Django's tasks API).

``carerecruit worker`` calls :data:`evaluate_alerts_task` on its schedule (every few
minutes); ``carerecruit evaluate-alerts`` runs the same from cron.
"""

from __future__ import annotations

from django_tasks import task

from carerecruit.insights.alerts import evaluate_alerts


@task()
def evaluate_alerts_task() -> dict[str, int]:
    """Judge every live campaign's channels and raise (and e-mail) new alerts; returns
    ``{"judged": n, "raised": m, "emailed": k}``. Idempotent."""
    return evaluate_alerts()
