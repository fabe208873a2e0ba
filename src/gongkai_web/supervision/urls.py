from __future__ import annotations

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("export.xlsx", views.export_view, name="export"),
    path("sums/", views.sums_view, name="sums"),
    path("trends/", views.trends_view, name="trends"),
]
