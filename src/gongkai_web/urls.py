"""URLs: the workbench, accounts, agencies, reports, public pages, the admin.

Room is left for the other apps (``api/``, ``supervision/``, ``audits/``, ``ledger/``): each
mounts its own ``urls`` module here.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from gongkai_web.core import views as core_views

admin.site.site_header = "政府信息公开工作年度报告 系统管理"
admin.site.site_title = "年报系统管理"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("workbench/", core_views.workbench, name="workbench"),
    path("health/", core_views.health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("agencies/", include("gongkai_web.orgs.urls")),
    path("reports/", include("gongkai_web.reports.urls")),
    path("registers/", include("gongkai_web.registers.urls")),
    path("public/", include("gongkai_web.reports.public_urls")),
    path("supervision/", include("gongkai_web.supervision.urls")),
    path("cases/", include("gongkai_web.cases.urls")),
    path("api/", include("gongkai_web.api.urls")),
    path("audits/", include("gongkai_web.audits.urls")),
    path("admin/", admin.site.urls),
]
