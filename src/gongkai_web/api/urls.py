"""``/api/v1/``: agencies, reports (with their workflow steps and findings), the case ledger (read
only: requests, due lists, the year's tables), the OpenAPI schema and its documentation page."""

from __future__ import annotations

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import ledger, views

app_name = "api"

router = SimpleRouter()
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("reports", views.ReportViewSet, basename="report")
router.register(r"agencies/(?P<agency_id>[^/]+)/requests", ledger.AgencyRequestViewSet, basename="agency-requests")
router.register(r"agencies/(?P<agency_id>[^/]+)/tables", ledger.AnnualTablesViewSet, basename="agency-tables")
router.register("requests", ledger.LedgerRequestViewSet, basename="request")

urlpatterns = [
    path("", views.index),
    path("v1/", views.index, name="index"),
    path("v1/", include(router.urls)),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
