# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest
from tests.factories import AanbiederFactory, UserFactory

from wmo_sla.accounts.roles import ROLE_CAPABILITIES, Capability, Role, has_capability
from wmo_sla.accounts.services import user_upsert

pytestmark = pytest.mark.django_db


def test_every_role_has_a_capability_set():
    assert set(ROLE_CAPABILITIES) == set(Role)


@pytest.mark.parametrize(
    ("role", "capability", "expected"),
    [
        (Role.CONTRACTMANAGER, Capability.EDIT_NORMS, True),
        (Role.BEHEERDER, Capability.EDIT_NORMS, False),
        (Role.BEHEERDER, Capability.VIEW_AUDIT_LOG, True),
        (Role.CONTRACTMANAGER, Capability.VIEW_AUDIT_LOG, False),
        (Role.ANALIST, Capability.EDIT_MASTER_DATA, False),
        (Role.ANALIST, Capability.VIEW_ALL_AANBIEDERS, True),
        (Role.AANBIEDER, Capability.VIEW_ALL_AANBIEDERS, False),
        (Role.AANBIEDER, Capability.VIEW_OWN_AANBIEDER, True),
        (Role.AANBIEDER, Capability.USE_ADMIN, False),
    ],
)
def test_capability_map(role, capability, expected):
    aanbieder = AanbiederFactory() if role == Role.AANBIEDER else None
    user = UserFactory(role=role, aanbieder=aanbieder)
    assert has_capability(user, capability) is expected


def test_inactive_user_has_no_capabilities():
    user = UserFactory(contractmanager=True, is_active=False)
    assert not has_capability(user, Capability.VIEW_CONTRACTS)


def test_provider_user_must_have_exactly_one_aanbieder():
    with pytest.raises(ValidationError):
        user_upsert(username="x", role=Role.AANBIEDER, password="p")
    with pytest.raises(ValidationError):
        user_upsert(username="y", role=Role.ANALIST, aanbieder=AanbiederFactory())


def test_database_refuses_provider_user_without_aanbieder():
    user = UserFactory(analist=True)
    user.role = Role.AANBIEDER
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_staff_flag_follows_role():
    assert user_upsert(username="c", role=Role.CONTRACTMANAGER, password="p").is_staff
    assert not user_upsert(username="c", role=Role.ANALIST).is_staff
