# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import argparse
import json
from datetime import date

import pytest

from wmo_sla.generator.cli import EXIT_FATAL, EXIT_OK, add_generate_parser, default_contract_file


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wmo-sla")
    add_generate_parser(parser.add_subparsers(dest="command"))
    return parser


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return args.handler(args)


def test_defaults():
    args = _parser().parse_args(["generate", "--out", "x"])
    assert (args.clients, args.providers, args.seed) == (5000, 12, 1)
    assert (args.date_from, args.date_to) == (date(2022, 1, 1), date(2024, 12, 31))
    assert args.contract is None and default_contract_file().is_file()


def test_generate_small_region(tmp_path, capsys):
    out = tmp_path / "regio"
    argv = ["generate", "--out", str(out), "--clients", "40", "--providers", "2", "--quiet"]
    argv += ["--from", "2024-01-01", "--to", "2024-06-30", "--seed", "5"]
    assert _run(argv) == EXIT_OK
    text = capsys.readouterr().out
    assert "WMO301" in text and "manifest.json" in text
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["clients"] == 40
    assert manifest["parameters"]["date_to"] == "2024-06-30"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--providers", "13"], "--providers moet tussen 1 en 12"),
        (["--from", "2024-05-01", "--to", "2024-01-01"], "ligt voor --from"),
        (["--contract", "/bestaat/niet.yaml"], "Contractbestand niet gevonden"),
    ],
)
def test_bad_arguments_exit_2_with_a_dutch_message(tmp_path, capsys, extra, message):
    assert _run(["generate", "--out", str(tmp_path / "o"), "--quiet", *extra]) == EXIT_FATAL
    assert message in capsys.readouterr().out
    assert not (tmp_path / "o").exists()


def test_malformed_values_are_usage_errors(tmp_path, capsys):
    for extra in (["--from", "2022-13-01"], ["--clients", "0"], ["--clients", "veel"]):
        with pytest.raises(SystemExit) as exc:
            _parser().parse_args(["generate", "--out", str(tmp_path), *extra])
        assert exc.value.code == 2
    assert "ongeldige datum" in capsys.readouterr().err
