# SPDX-License-Identifier: EUPL-1.2
"""URLs of the benchmark app; each area keeps its own list."""

from . import urls_drilldown, urls_overview, urls_profile

app_name = "benchmark"

urlpatterns = [
    *urls_overview.urlpatterns,
    *urls_profile.urlpatterns,
    *urls_drilldown.urlpatterns,
]
