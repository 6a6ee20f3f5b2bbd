# SPDX-License-Identifier: EUPL-1.2
"""Pure analytics over columnar data (Polars). Nothing in this package imports Django or the ORM."""
