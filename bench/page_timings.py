# SPDX-License-Identifier: EUPL-1.2
"""Time the main pages of a running demo (``make demo``) as each demo user, over loopback.

    .venv/bin/python bench/page_timings.py [--base URL] [--repeat 7] [--figure ID] [--report ID]

Logs in through the login form (demo password), requests each page ``--repeat`` times and prints
the median and minimum wall time seen by the client. ``--figure`` adds the drill-down of that
figure id, ``--report`` the review page of that report id. Numbers in docs/benchmarks.md § Web pages.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import time
import urllib.parse
import urllib.request

from wmo_sla.demo.pipeline import DEMO_PASSWORD

PAGES = {
    "contractmanager": [
        "/",
        "/benchmark/",
        "/benchmark/?contract=IB",
        "/benchmark/kpi/K8/?contract=IB",
        "/aanbieders/1/profiel/",
        "/toelichtingen/",
        "/voortgangsgesprekken/",
        "/voortgangsgesprekken/1/",
        "/normen/",
        "/openbaar/IB/",
        "/rapportages/",
        "/rapportages/verplichtingen/",
        "/rapportages/vrijstellingen/",
    ],
    "aanbieder1": ["/", "/mijn-prestaties/", "/toelichtingen/mijn-signalen/", "/rapportages/mijn/"],
}


def _session(base: str, username: str) -> urllib.request.OpenerDirector:
    if not base.startswith(("http://", "https://")):
        raise SystemExit("--base moet met http:// of https:// beginnen")
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    html = opener.open(base + "/inloggen/").read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if match is None:
        raise SystemExit("Geen inlogformulier gevonden; draait de demo?")
    form = {"csrfmiddlewaretoken": match.group(1), "username": username, "password": DEMO_PASSWORD}
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        base + "/inloggen/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": base + "/inloggen/"},
    )
    opener.open(request).read()
    return opener


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--figure", type=int, help="figure id for the drill-down page")
    parser.add_argument("--report", type=int, help="report id for the review page")
    args = parser.parse_args()
    pages = {user: list(paths) for user, paths in PAGES.items()}
    if args.figure:
        pages["contractmanager"].append(f"/benchmark/figuur/{args.figure}/")
    if args.report:
        pages["contractmanager"].append(f"/rapportages/rapport/{args.report}/")
    for user, paths in pages.items():
        opener = _session(args.base, user)
        for path in paths:
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                response = opener.open(args.base + path)
                response.read()
                times.append((time.perf_counter() - start) * 1000)
                if response.status != 200:
                    raise SystemExit(f"{path}: HTTP {response.status}")
            median = statistics.median(times)
            print(f"{user:16} {path:45} median {median:6.0f} ms  min {min(times):6.0f} ms")


if __name__ == "__main__":
    main()
