"""The file systems a worker reads and writes through, set up with the run's options.

Beam's ``FileSystems`` builds a remote file system's client (S3, GCS) from the options it was last given, and
a worker process is given none: without them an S3 client goes to AWS's public endpoint, whatever
``--s3_endpoint_url`` the run was started with. A DoFn that opens or writes files carries the run's options
(:func:`run_options`, a plain dict that pickles) and calls :func:`use_run_options` in its ``setup``.
"""
from __future__ import annotations

from typing import Optional

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions


def run_options(pipeline) -> dict:
    """The flags the run was started with (defaults left out), for :func:`use_run_options` on a worker."""
    return pipeline.options.get_all_options(drop_default=True, retain_unknown_options=False)


class RunFilesFn(beam.DoFn):
    """A DoFn that reads or writes files: it carries the run's flags (:func:`run_options`) and sets up this
    worker's file systems with them in ``setup``."""

    def __init__(self, options: Optional[dict] = None):
        self.options = options

    def setup(self):
        use_run_options(self.options)


def use_run_options(options: Optional[dict]) -> None:
    """Give this process's ``FileSystems`` the run's options (an S3 endpoint and keys, a GCP project)."""
    if options:
        FileSystems.set_options(PipelineOptions.from_dictionary(options))
