# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.http import HttpRequest

from .navigation import nav_items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None:
        return {"nav_items": []}
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
    return {"nav_items": nav_items_for(user), "nav_current": current}
