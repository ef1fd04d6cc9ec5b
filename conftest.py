import pytest

from renda.testing import build_world


@pytest.fixture
def world(db):
    """Named regions, stations, people and one user per role and region: see renda/core/testing.py."""
    return build_world()
