"""Fixtures of the extraction tests."""
import pytest


@pytest.fixture(scope="module")
def resources(extraction_resources):
    """The packaged model and dictionaries (the session's ``extraction_resources``), by the extraction tests' name."""
    return extraction_resources
