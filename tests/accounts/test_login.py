# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django.urls import reverse

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _current_token(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now (or ``steps_ahead`` periods later; the device allows one)."""
    t0 = device.t0 - steps_ahead * device.step
    return f"{totp(device.bin_key, device.step, t0, device.digits, device.drift):06d}"


def test_login_with_password_lands_on_role_start_page(client, contractmanager, password):
    response = _login(client, "cm", password)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Start – contractmanagement" in page.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=contractmanager).count() == 1


def test_wrong_password_shows_error_and_is_audited(client, contractmanager):
    response = _login(client, "cm", "fout")
    assert response.status_code == 200
    assert "niet bekend" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.extra["username"] == "cm"
    assert not response.wsgi_request.user.is_authenticated


def test_failed_logins_are_throttled_even_with_the_right_password(
    client, contractmanager, password
):
    for _ in range(5):
        _login(client, "cm", "fout")
    response = _login(client, "cm", password)
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_pages_require_login(client):
    response = client.get(reverse("web:contract_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_open_redirect_after_login_is_refused(client, contractmanager, password):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "cm", "password": password, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_logout_is_a_post_and_audited(client, contractmanager, password):
    _login(client, "cm", password)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT).count() == 1
    assert client.get(reverse("web:home")).status_code == 302


def test_staff_user_enables_totp_and_then_needs_a_code(client, contractmanager, password):
    _login(client, "cm", password)
    page = client.get(reverse("accounts:two_factor"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=contractmanager, confirmed=False)

    wrong = client.post(reverse("accounts:two_factor"), {"action": "enable", "token": "000000"})
    assert "klopt niet" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # django-otp slows down retries after a wrong code

    ok = client.post(
        reverse("accounts:two_factor"), {"action": "enable", "token": _current_token(device)}
    )
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action=AuditAction.OTP_ENABLED).count() == 1

    client.post(reverse("accounts:logout"))
    step1 = _login(client, "cm", password)
    assert step1["Location"] == reverse("accounts:login_verify")
    # Not logged in until the second step is done.
    assert client.get(reverse("web:home")).status_code == 302

    bad = client.post(reverse("accounts:login_verify"), {"token": "123456"})
    assert "klopt niet" in bad.content.decode()
    device.refresh_from_db()
    # django-otp throttles after a failure; wait it out by resetting the counter in the test.
    device.throttle_reset()
    # A code is accepted only once (replay protection): use the next period's code.
    good = client.post(
        reverse("accounts:login_verify"), {"token": _current_token(device, steps_ahead=1)}
    )
    assert good.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_provider_user_cannot_enable_totp_page_redirects(client, provider_user, password):
    _login(client, "aanbieder", password)
    response = client.get(reverse("accounts:two_factor"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=provider_user).exists()


def test_required_2fa_sends_staff_to_setup(client, contractmanager, password, settings):
    settings.WMO_SLA_REQUIRE_2FA = True
    _login(client, "cm", password)
    response = client.get(reverse("web:contract_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")
