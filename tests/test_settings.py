"""Settings read from FUDAO_ environment variables."""

import pytest

from config import _env_numbers


def test_numbers_override_defaults(monkeypatch):
    monkeypatch.setenv("FUDAO_COUNSELOR_TARGETS", "420000=1200, county=50")

    numbers = _env_numbers("COUNSELOR_TARGETS", {"province": 1000, "county": 0})

    assert numbers == {"province": 1000, "county": 50, "420000": 1200}


def test_numbers_default_without_variable(monkeypatch):
    monkeypatch.delenv("FUDAO_COUNSELOR_TARGETS", raising=False)

    numbers = _env_numbers("COUNSELOR_TARGETS", {"province": 1000})

    assert numbers == {"province": 1000}


@pytest.mark.parametrize("raw", ["province", "province=many", "=5", "a=1,b"])
def test_numbers_reject_malformed_items(monkeypatch, raw):
    monkeypatch.setenv("FUDAO_COUNSELOR_TARGETS", raw)

    with pytest.raises(ValueError, match="FUDAO_COUNSELOR_TARGETS must read like"):
        _env_numbers("COUNSELOR_TARGETS", {})
