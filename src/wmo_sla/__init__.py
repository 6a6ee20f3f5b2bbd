# SPDX-License-Identifier: EUPL-1.2
"""wmo-sla: SLA-monitoring van Wmo-aanbieders op basis van iWmo-berichtenverkeer."""

__version__ = "0.1.0"
