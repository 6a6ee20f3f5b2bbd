# SPDX-License-Identifier: EUPL-1.2
"""Upload page, batch progress and unknown parties. Views only call services and selectors."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wmo_sla.accounts.roles import Capability
from wmo_sla.web.decorators import require_capability

from . import selectors, upload
from .forms import UploadForm


@require_capability(Capability.INGEST)
def upload_view(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = upload.upload_accept(uploaded=form.cleaned_data["bestand"], actor=request.user)
        except upload.UploadRejected as exc:
            form.add_error("bestand", str(exc))
        else:
            return redirect("ingest:batch_detail", pk=batch.pk)
    return render(
        request,
        "ingest/upload.html",
        {"form": form, "batches": selectors.batches_visible_to(request.user)[:20]},
    )


@require_capability(Capability.INGEST)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    if batch is None:
        raise Http404
    return render(
        request,
        "ingest/batch_detail.html",
        {
            "batch": batch,
            "quarantined": selectors.quarantine_of_batch(batch=batch)[:200],
            "unknown": selectors.unknown_parties(batch_id=batch.pk) if batch.finished_at else [],
        },
    )


@require_GET
@require_capability(Capability.INGEST)
def batch_status(request: HttpRequest, pk: int) -> JsonResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    if batch is None:
        raise Http404
    return JsonResponse(
        {
            "status": batch.status,
            "status_display": batch.get_status_display(),
            "messages_seen": batch.messages_seen,
            "messages_total": batch.messages_total,
            "accepted": batch.accepted,
            "duplicates": batch.duplicates,
            "rejected": batch.rejected,
            "finished": batch.finished_at is not None,
            "error": _("De inleesrun is mislukt.") if batch.error else "",
        }
    )


@require_capability(Capability.VIEW_QUARANTINE, Capability.EDIT_MASTER_DATA)
def unknown_parties_view(request: HttpRequest) -> HttpResponse:
    return render(request, "ingest/unknown_parties.html", {"unknown": selectors.unknown_parties()})
