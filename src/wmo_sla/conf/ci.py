# SPDX-License-Identifier: EUPL-1.2
"""Test settings: fast hashing, in-memory e-mail, deterministic secrets."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "ci-only-not-secret")
os.environ.setdefault("WMO_SLA_DATA_DIR", tempfile.mkdtemp(prefix="wmo-sla-test-"))
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("WMO_SLA_PSEUDONYM_KEY", "ci-only-pseudonym-key")

from .base import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
AXES_FAILURE_LIMIT = 5
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WMO_SLA_INGEST_IN_BACKGROUND = False
WMO_SLA_INGEST_WORKERS = 1  # tests run in parallel already; parallel parsing has its own test
