# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import pytest

from tests.factories import AgbCodeFactory, GemeenteFactory
from wmo_sla.audit.models import AuditEvent
from wmo_sla.cli import EXIT_INPUT_ERRORS, EXIT_OK, main
from wmo_sla.kpis.models import SurveyImport, SurveyResponse
from wmo_sla.kpis.survey import SurveyFileInvalid, survey_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    AgbCodeFactory(code="99000101")
    GemeenteFactory(cbs_code="0505", name="Dordrecht")


def _csv(tmp_path, text: str, name: str = "tevredenheid.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_clean_file_is_imported_once(tmp_path, known):
    path = _csv(
        tmp_path, "agb_code;periode;cijfer;gemeente\n99000101;2024H1;8;0505\n99000101;2024H1;6;\n"
    )
    result = survey_import(path=path)
    assert result.created and result.survey_import.rows == 2
    assert sorted(SurveyResponse.objects.values_list("score", flat=True)) == [6, 8]
    again = survey_import(path=path)
    assert not again.created
    assert SurveyResponse.objects.count() == 2
    assert AuditEvent.objects.filter(action="survey_imported").count() == 1


def test_every_bad_line_is_reported_and_nothing_is_loaded(tmp_path, known):
    path = _csv(
        tmp_path,
        "agb_code,period,score\n"
        "99000101,2024H1,8\n"
        "1234,2024H1,7\n"
        "99000101,2024H3,7\n"
        "99000101,2024,11\n"
        "99999999,2024Q2,5\n",
    )
    with pytest.raises(SurveyFileInvalid) as exc:
        survey_import(path=path)
    lines = [(e.line, e.message) for e in exc.value.errors]
    assert [line for line, _ in lines] == [3, 4, 5, 6]
    assert "8 cijfers" in lines[0][1]
    assert "periode '2024H3' is ongeldig" in lines[1][1]
    assert "1 tot en met 10" in lines[2][1]
    assert "niet bekend" in lines[3][1]
    assert not SurveyImport.objects.exists() and not SurveyResponse.objects.exists()


def test_missing_columns_and_non_utf8(tmp_path, known):
    with pytest.raises(SurveyFileInvalid, match="kolom\\(men\\) ontbreken"):
        survey_import(path=_csv(tmp_path, "agb;jaar\n99000101;2024\n"))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("agb_code;periode;cijfer\n99000101;2024;7;é\n".encode("latin-1"))
    with pytest.raises(SurveyFileInvalid, match="UTF-8"):
        survey_import(path=latin)


def test_cli_reports_line_numbers_and_exit_codes(tmp_path, known, capsys):
    bad = _csv(tmp_path, "agb_code;periode;cijfer\n99000101;2024;0\n", "fout.csv")
    assert main(["survey", "import", str(bad)]) == EXIT_INPUT_ERRORS
    assert f"{bad}: regel 2: cijfer '0'" in capsys.readouterr().out
    good = _csv(tmp_path, "agb_code;periode;cijfer\n99000101;2024;9\n", "goed.csv")
    assert main(["survey", "import", str(good)]) == EXIT_OK
