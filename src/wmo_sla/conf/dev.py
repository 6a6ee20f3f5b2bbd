# SPDX-License-Identifier: EUPL-1.2
"""Laptop and demo settings: SQLite in the local data directory and a generated secret key."""

import os
from pathlib import Path

from .environ import persistent_secret

_data_dir = Path(os.environ.get("WMO_SLA_DATA_DIR", str(Path.cwd() / "var"))).resolve()
os.environ.setdefault("SECRET_KEY", persistent_secret(_data_dir / "secret-key"))
os.environ.setdefault("WMO_SLA_PSEUDONYM_KEY", persistent_secret(_data_dir / "pseudonym-key"))
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *  # noqa: E402
from .environ import env_bool  # noqa: E402

DEBUG = env_bool("DEBUG", False)
