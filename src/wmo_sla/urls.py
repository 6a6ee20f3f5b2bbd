# SPDX-License-Identifier: EUPL-1.2
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = _("wmo-sla beheer")
admin.site.site_title = _("wmo-sla beheer")
admin.site.index_title = _("Stamgegevens en beheer")

urlpatterns = [
    # Everyone logs in through our own login (throttled, with two-factor), also for the admin.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("wmo_sla.api.urls")),
    path("api-tokens/", include("wmo_sla.api.urls_web")),
    path("", include("wmo_sla.accounts.urls")),
    path("", include("wmo_sla.web.urls")),
    path("", include("wmo_sla.ingest.urls")),
    path("", include("wmo_sla.benchmark.urls")),
    path("", include("wmo_sla.dialogue.urls")),
    path("rapportages/", include("wmo_sla.reporting.urls")),
    path("openbaar/", include("wmo_sla.publication.urls")),
]
