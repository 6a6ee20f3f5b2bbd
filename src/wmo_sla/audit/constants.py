# SPDX-License-Identifier: EUPL-1.2
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Ingelogd")
    LOGIN_FAILED = "login_failed", _("Inloggen mislukt")
    LOGOUT = "logout", _("Uitgelogd")
    OTP_ENABLED = "otp_enabled", _("Tweestapsverificatie aangezet")
    OTP_DISABLED = "otp_disabled", _("Tweestapsverificatie uitgezet")
    VIEW_CLIENT_DATA = "view_client_data", _("Cliëntgegevens bekeken")
    DOWNLOAD_CLIENT_DATA = "download_client_data", _("Cliëntgegevens gedownload")
    CREATE = "create", _("Aangemaakt")
    UPDATE = "update", _("Gewijzigd")
    DELETE = "delete", _("Verwijderd")
    CONTRACTS_LOADED = "contracts_loaded", _("Contractdefinitie geladen")
    INGEST = "ingest", _("Berichten ingelezen")
    SURVEY_IMPORTED = "survey_imported", _("Tevredenheidsonderzoek ingelezen")
    KPIS_COMPUTED = "kpis_computed", _("KPI's berekend")
    FIGURES_EXPORTED = "figures_exported", _("Kengetallen geëxporteerd")
    PUBLICATION_CHANGED = "publication_changed", _("Publicatie gewijzigd")
    API_TOKEN_USED = "api_token_used", _("API-token gebruikt")
    REPORTS_EXPORTED = "reports_exported", _("Rapportages geëxporteerd of gedownload")
