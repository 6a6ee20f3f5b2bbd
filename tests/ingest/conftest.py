# SPDX-License-Identifier: EUPL-1.2
# The generated-region fixtures live in tests/conftest.py (shared with the KPI tests).
