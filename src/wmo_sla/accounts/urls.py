# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/verificatie/", views.login_verify_view, name="login_verify"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("account/", views.account_view, name="account"),
    path("account/tweestapsverificatie/", views.two_factor_view, name="two_factor"),
]
