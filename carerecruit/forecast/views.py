"""The forecast page ``/staff/regional/forecast/`` and its downloads.

Audience: the regional dashboard's (every active staff member with an organisation:
regional staff, council and provider users, viewers), through
:func:`carerecruit.organisations.access.can_read_campaign_aggregates`; anyone else 403.
Figures are suppressed per :func:`carerecruit.workforce.suppression.suppression_viewer`
(see :mod:`carerecruit.forecast.read`). The page only reads stored runs: nothing is
fitted while someone waits.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from carerecruit.forecast import read
from carerecruit.forecast.charts import chart_spec
from carerecruit.forecast.engine import INTERVAL_LEVEL, MIN_HISTORY
from carerecruit.forecast.forms import ForecastFilterForm
from carerecruit.forecast.models import Measure
from carerecruit.insights.views import staff_login_required
from carerecruit.lib.localtime import local_today
from carerecruit.lib.spreadsheet import write_csv, write_xlsx
from carerecruit.organisations.access import can_read_campaign_aggregates
from carerecruit.workforce.suppression import WITHHELD, suppression_viewer

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TABLES = ("series", "accuracy")


def _check_audience(user) -> None:
    if not can_read_campaign_aggregates(user):
        raise PermissionDenied("Your account has no organisation, so it cannot read regional figures.")


def _filters(request: HttpRequest) -> tuple[ForecastFilterForm, dict | None]:
    """The form bound to the query string (or unbound with nothing asked) and, when
    valid, ``{"council": Organisation|None, "job_role": JobRole|None, "measure": str}``."""
    asked = any(k in request.GET for k in ("council", "job_role", "measure"))
    form = ForecastFilterForm(request.GET if asked else None)
    if not asked:
        return form, {"council": None, "job_role": None, "measure": Measure.APPLICATIONS}
    if form.is_valid():
        return form, form.cleaned_data
    return form, None


def _query(chosen: dict) -> str:
    return urlencode({
        "council": chosen["council"].gss_code if chosen["council"] else read.ALL,
        "job_role": chosen["job_role"].code if chosen["job_role"] else read.ALL,
        "measure": chosen["measure"],
    })


def _what(chosen: dict) -> str:
    measure = Measure(chosen["measure"]).label
    where = chosen["council"].short_name if chosen["council"] else "the whole region"
    role = chosen["job_role"].name if chosen["job_role"] else "all job roles"
    return f"{measure}, {where}, {role}"


@never_cache
@staff_login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """``/staff/regional/forecast/``: one series (council, job role, measure chosen in a
    GET form), its chart and table, and the accuracy table of that council's series."""
    _check_audience(request.user)
    viewer = suppression_viewer(request.user)
    form, chosen = _filters(request)
    context = {"form": form, "interval_percent": round(INTERVAL_LEVEL * 100), "min_history": MIN_HISTORY}
    if chosen is not None:
        council_id = chosen["council"].pk if chosen["council"] else None
        role_code = chosen["job_role"].code if chosen["job_role"] else None
        run, header, rows = read.one_series(
            viewer=viewer, measure=chosen["measure"], council_id=council_id, job_role_code=role_code,
        )
        query = _query(chosen)
        what = _what(chosen)
        history = [r for r in rows if r["kind"] == "history"]
        accuracy = read.accuracy_table(viewer=viewer, measure=chosen["measure"], council_id=council_id)
        estimates = [r for r in rows if r["kind"] == "forecast"]
        # Estimates follow the series' latest month of data, which may be long before
        # today (the demo's data ends in 2020): the page names that month rather than
        # saying "the next 3 months".
        latest_month = history[-1]["month"] if history else None
        this_month = local_today().replace(day=1)
        context.update({
            "chosen": chosen,
            "what": what,
            "run": run,
            "series": header,
            "history": history,
            "estimates": estimates,
            "latest_month": latest_month,
            "estimates_in_past": bool(estimates) and estimates[0]["month"] < this_month,
            "accuracy": accuracy,
            "any_withheld": any(a["beats_baseline"] == WITHHELD for a in accuracy),
            "downloads": {
                table: {fmt: reverse("forecast:download", args=[table, fmt]) + "?" + query for fmt in FORMATS}
                for table in TABLES
            },
        })
        if header and estimates:
            context["chart"] = {
                "spec": chart_spec(
                    rows, measure_label=Measure(chosen["measure"]).label,
                    description=(
                        f"Line chart of {what} per month: history as a solid line, then the estimate for "
                        f"the {len(estimates)} months after the latest data ({latest_month:%B %Y}) as a dashed line with its {context['interval_percent']}% "
                        "range shaded. The same figures are in the tables below."
                    ),
                ),
                "description": f"Monthly history and estimate of {what}",
            }
    return render(request, "forecast/index.html", context)


def _series_table(viewer, chosen: dict):
    council_id = chosen["council"].pk if chosen["council"] else read.ALL
    role_code = chosen["job_role"].code if chosen["job_role"] else read.ALL
    rows = read.forecast_rows(viewer=viewer, council_id=council_id, job_role_code=role_code,
                              measure=chosen["measure"])
    header = ["Council GSS code", "Council", "Job role code", "Job role", "Measure", "Month",
              "History or estimate", "Value", "Estimate range from", "Estimate range to", "Model",
              "Computed at (UTC)"]
    data = [
        [r["council_gss"] or "Region", r["council_name"] or "Whole region", r["job_role_code"],
         r["job_role_name"] or "All job roles", r["measure_name"], r["month"],
         "Estimate" if r["is_estimate"] else "History", r["value"], r["lower"], r["upper"], r["method_name"],
         r["computed_at"].replace(tzinfo=None) if r["computed_at"] else None]
        for r in rows
    ]
    return header, data


def _accuracy_table(viewer, chosen: dict):
    council_id = chosen["council"].pk if chosen["council"] else None
    rows = read.accuracy_table(viewer=viewer, measure=chosen["measure"], council_id=council_id)
    header = ["Council GSS code", "Council", "Job role code", "Job role", "Measure", "Model", "Months of history",
              "Back-tested forecasts", "Months with actual 0 (left out of MAPE)", "MAPE model (%)",
              "MAPE baseline (%)", "MAE model", "MAE baseline", "Model beats baseline (MAE)"]
    data = []
    for r in rows:
        beats = r["beats_baseline"]
        data.append([
            r["council_gss"] or "Region", r["council_name"] or "Whole region", r["job_role_code"],
            r["job_role_name"] or "All job roles", r["measure_name"], r["method_name"], r["history_months"],
            r["backtest_points"], r["zero_actuals"], r["mape_model"], r["mape_baseline"], r["mae_model"],
            r["mae_baseline"], beats if isinstance(beats, str) else ({True: "Yes", False: "No"}.get(beats)),
        ])
    return header, data


@never_cache
@staff_login_required
@require_GET
def download(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    """``/staff/regional/forecast/<table>.<fmt>``: the chosen series (history and
    estimates) or its council's accuracy table, as CSV or XLSX, suppressed as on the
    page; formulas neutralised (``carerecruit.lib.spreadsheet``). Bad filters: 400."""
    if table not in TABLES or fmt not in FORMATS:
        raise Http404("No such download")
    _check_audience(request.user)
    form, chosen = _filters(request)
    if chosen is None:
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(f"Bad filters: {errors}", status=400, content_type="text/plain; charset=utf-8")
    viewer = suppression_viewer(request.user)
    header, data = (_series_table if table == "series" else _accuracy_table)(viewer, chosen)
    title = "Forecast" if table == "series" else "Forecast accuracy"
    content = write_csv(data, header) if fmt == "csv" else write_xlsx(data, header, sheet_title=title)
    stamp = local_today().isoformat()
    filename = f"forecast-{table}-{chosen['measure']}-{stamp}.{fmt}"
    return HttpResponse(content, content_type=FORMATS[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
