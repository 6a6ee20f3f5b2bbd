# SPDX-License-Identifier: EUPL-1.2
"""Production settings: PostgreSQL via DATABASE_URL, secrets only from the environment, HTTPS."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *

if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured("Production needs DATABASE_URL (PostgreSQL).")

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
WMO_SLA_REQUIRE_2FA = env_bool("WMO_SLA_REQUIRE_2FA", True)
