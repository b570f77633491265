"""``/api/v1/regional/<dataset>/``: the regional datasets of
:mod:`carerecruit.regional.datasets` (the same tables as the regional dashboard, its
downloads and the weekly report), already suppressed for the token's viewer.

One URL (and one documented operation, with its own row schema) per dataset name in
:data:`~carerecruit.regional.datasets.DATASET_NAMES`; any other name is a JSON 404.
Values: counts are integers or ``"<5"``; rates (percent), medians (days) and costs
(pence) are numbers or ``"withheld"``; dates ``YYYY-MM-DD``; null where not known.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from carerecruit.api.authentication import suppression_viewer_for
from carerecruit.api.filters import FILTERS, read_filters
from carerecruit.api.pagination import ApiPagination
from carerecruit.api.serializers import COUNT_SCHEMA
from carerecruit.regional import datasets
from carerecruit.workforce.suppression import WITHHELD

_WITHHELD = {"type": "string", "enum": [WITHHELD]}
VALUE_SCHEMAS = {
    "text": {"type": "string"},
    "code": {"oneOf": [{"type": "string"}, {"type": "integer"}], "description": "A GSS, job role, campaign or channel code."},
    "count": COUNT_SCHEMA,
    "rate": {"oneOf": [{"type": "number"}, _WITHHELD], "description": "Percentage, or withheld."},
    "days": {"oneOf": [{"type": "number"}, _WITHHELD], "description": "Days, or withheld."},
    "pence": {"oneOf": [{"type": "integer"}, _WITHHELD], "description": "GBP pence, or withheld."},
    "date": {"type": "string", "format": "date"},
    "number": {"type": "number"},
}


def _value_field(kind: str, label: str) -> serializers.Field:
    @extend_schema_field({**VALUE_SCHEMAS.get(kind, {}), "nullable": True})
    class Value(serializers.Field):
        def to_representation(self, value):
            return value

    return Value(read_only=True, allow_null=True, help_text=label)


def json_value(value):
    """A dataset value as JSON: Decimal → number, date → ``YYYY-MM-DD``."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=list(datasets.KINDS))


def _columns(name: str) -> list:
    """The dataset's columns, from the regional module's ``<NAME>_COLUMNS`` list."""
    return list(getattr(datasets, f"{name.upper().replace('-', '_')}_COLUMNS", []))


def _response_serializer(name: str):
    title = "".join(part.title() for part in name.split("-"))
    row = type(f"Regional{title}RowSerializer", (serializers.Serializer,), {
        **{c.key: _value_field(c.kind, c.label) for c in _columns(name)},
        "__module__": __name__,
    })
    return type(f"Regional{title}Serializer", (serializers.Serializer,), {
        "name": serializers.CharField(),
        "title": serializers.CharField(),
        "description": serializers.CharField(),
        "columns": ColumnSerializer(many=True),
        "count": serializers.IntegerField(help_text="Rows on every page together."),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": row(many=True),
        "__module__": __name__,
    })


def _view(name: str):
    from carerecruit.api.views import ERRORS, PAGE, PAGE_SIZE, RETRY_AFTER

    @extend_schema(
        operation_id=f"regional_{name.replace('-', '_')}", tags=["regional"],
        summary=f"Regional dataset: {name}",
        description=(
            f"The regional dashboard's “{name}” table (carerecruit.regional.datasets), "
            "suppressed for this token: outside the owning organisation, counts of 1 to 4 "
            'show as "<5" and rates, medians and costs from them as "withheld". start/end: '
            "the period (local dates); snapshots (supply, open vacancies, ASC-WDS figures) "
            "as at end. Rows in the dataset's own order."
        ),
        parameters=[*FILTERS, PAGE, PAGE_SIZE, RETRY_AFTER],
        responses={200: _response_serializer(name), **ERRORS},
    )
    @api_view(["GET", "HEAD"])
    def regional_dataset(request):
        filters = read_filters(request.query_params)
        dataset = datasets.build_dataset(
            name, viewer=suppression_viewer_for(request.auth),
            filters=datasets.Filters(
                start=filters.start, end=filters.end,
                council_id=filters.council.pk if filters.council else None, job_role_code=filters.role,
            ),
        )
        paginator = ApiPagination()
        page = paginator.paginate_queryset(dataset.rows, request)
        return Response({
            "name": dataset.name,
            "title": dataset.title,
            "description": dataset.description,
            "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in dataset.columns],
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": [{key: json_value(row.get(key)) for key in dataset.keys} for row in page],
        })

    regional_dataset.__name__ = f"regional_{name.replace('-', '_')}"
    return regional_dataset


def urlpatterns(logged) -> list:
    """One URL per dataset, each wrapped in the access log ``logged``."""
    return [path(f"regional/{name}/", logged(_view(name)), name=f"regional-{name}") for name in datasets.DATASET_NAMES]


