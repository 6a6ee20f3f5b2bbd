# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django.db.models import QuerySet

from .models import User


def users_of_aanbieder(*, aanbieder_id: int) -> QuerySet[User]:
    return User.objects.filter(aanbieder_id=aanbieder_id, is_active=True).order_by("username")
