"""The one rule for the regions above a path (its legal chain): paths and codes, root first."""

from renda.regions.models import ancestor_codes, ancestor_paths

MUDU_VILLAGE = "320000000000320500000000320506000000320506108000320506108201"


def test_ancestor_paths_and_codes_agree():
    assert ancestor_paths(MUDU_VILLAGE) == [MUDU_VILLAGE[:12], MUDU_VILLAGE[:24], MUDU_VILLAGE[:36], MUDU_VILLAGE[:48]]
    assert ancestor_codes(MUDU_VILLAGE) == ["320000000000", "320500000000", "320506000000", "320506108000"]
    assert ancestor_codes(MUDU_VILLAGE, include_self=True)[-1] == "320506108201"
    assert ancestor_codes("320000000000") == []
    assert ancestor_codes("320000000000", include_self=True) == ["320000000000"]
