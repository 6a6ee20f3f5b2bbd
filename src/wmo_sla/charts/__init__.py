# SPDX-License-Identifier: EUPL-1.2
"""Server-rendered SVG charts (pure Python, no ORM, no JavaScript needed).

``svg`` holds the shared basics (scales, nice ticks, axes, the accessible ``<svg role="img">``
wrapper, Dutch number formatting); each chart type has its own module (``funnel``, ``trend``,
``spc``, ``bars``). Every chart returns a string of SVG markup in which all text is escaped, with
presentation as inline attributes so it renders the same in browsers and in WeasyPrint.
"""
