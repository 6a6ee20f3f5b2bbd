# SPDX-License-Identifier: EUPL-1.2
"""URLs of the drill-down from a figure to trajectories and messages.

Link target for every figure on the overzicht, funnel and profile pages:
``{% url 'benchmark:figure_members' figure.pk %}`` → ``/benchmark/figuur/<figure_id>/``.
"""

from django.urls import URLPattern, path

from . import views_drilldown

urlpatterns: list[URLPattern] = [
    path(
        "benchmark/figuur/<int:figure_id>/",
        views_drilldown.figure_members_page,
        name="figure_members",
    ),
    path(
        "benchmark/figuur/<int:figure_id>/eenheden.csv",
        views_drilldown.figure_members_csv,
        name="figure_members_csv",
    ),
    path(
        "benchmark/figuur/<int:figure_id>/traject/<int:trajectory_ref>/",
        views_drilldown.trajectory_page,
        name="trajectory_detail",
    ),
    path(
        "benchmark/figuur/<int:figure_id>/traject/<int:trajectory_ref>/bericht/<int:message_id>/",
        views_drilldown.message_page,
        name="message_detail",
    ),
]
