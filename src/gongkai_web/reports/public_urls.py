from __future__ import annotations

from django.urls import path

from . import public

app_name = "public"

urlpatterns = [
    path("", public.index, name="index"),
    path("<int:agency_id>/", public.agency_reports, name="agency"),
    path("<int:agency_id>/<int:year>/", public.report_page, name="report"),
    path("<int:agency_id>/<int:year>/v<int:number>/", public.report_page, name="version"),
    path("<int:agency_id>/<int:year>/v<int:number>/<str:target>/", public.version_download, name="download"),
]
