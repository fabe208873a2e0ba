from __future__ import annotations

from django.urls import path

from . import views, views_more

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("due/", views.due, name="due"),
    path("calendar/", views_more.calendar, name="calendar"),
    path("agency/<int:agency_id>/", views.agency_requests, name="list"),
    path("agency/<int:agency_id>/due/", views.due, name="agency_due"),
    path("agency/<int:agency_id>/export.csv", views_more.export, name="export"),
    path("agency/<int:agency_id>/new/", views.intake, name="intake"),
    path("agency/<int:agency_id>/import/", views_more.import_ledger, name="import"),
    path("agency/<int:agency_id>/appeals/", views_more.appeals, name="appeals"),
    path("agency/<int:agency_id>/fees/<int:year>/", views_more.fee_statement, name="fees"),
    path("agency/<int:agency_id>/templates/", views_more.templates, name="templates"),
    path("agency/<int:agency_id>/templates/<str:kind>.docx", views_more.template_file, name="template_file"),
    path("appeal/<int:pk>/conclude/", views_more.conclude_appeal, name="conclude_appeal"),
    path("<int:pk>/", views.request_detail, name="request"),
    path("<int:pk>/personal/", views.personal, name="personal"),
    path("<int:pk>/step/<str:key>/", views.step, name="step"),
    path("<int:pk>/letter/<str:kind>.docx", views_more.letter, name="letter"),
    path("<int:pk>/fee/", views_more.fee_preview, name="fee_preview"),
]
