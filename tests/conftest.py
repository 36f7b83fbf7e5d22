"""Shared fixtures: paths, the boilerplate rules, and one pipeline run over the seeds."""
from __future__ import annotations

import logging
import os
from datetime import datetime, timezone

import pytest

from pipelines import news_events
from transforms.cleaning import load_boilerplate_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "seeds")
DATA = os.path.join(ROOT, "tests", "data")
EXTRACTION = os.path.join(DATA, "extraction")
FIXED_NOW = datetime(2025, 2, 14, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def rules():
    return load_boilerplate_rules()


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """The real pipeline, run once over ``seeds/``; returns (output dir, manifest)."""
    logging.getLogger("apache_beam").setLevel(logging.WARNING)
    output = str(tmp_path_factory.mktemp("seed_output"))
    manifest = news_events.run(["--input", SEEDS, "--output", output, "--run-id", "seedrun"],
                               now=FIXED_NOW)
    return output, manifest
