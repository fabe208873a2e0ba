from __future__ import annotations

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("agency/<int:agency_id>/new/", views.new_report, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/check/", views.live_check, name="check"),
    path("<int:pk>/import/", views.import_into, name="import"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/download/<str:target>/", views.download, name="download"),
    *[path(f"<int:pk>/{step}/", views.workflow_view(step), name=step)
      for step in ("submit", "approve", "return", "publish", "reopen", "comment")],
]
