"""The pipeline's command-line flags, parsed beside Beam's with Beam's public options API, and checked.

Any mistake is a :class:`UsageError`: one line for the user, exit code 2.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import shlex
import sys
from importlib.util import find_spec
from typing import List, Optional, Tuple

from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions

from transforms.beam.analyse import DEFAULT_BATCH_SIZE
from transforms.beam.plan import DEFAULT_CHUNK_SIZE
from transforms.common.errors import UsageError
from transforms.common.logs import LOG_FORMATS, LOG_LEVELS
from transforms.extract.model import DEFAULT_MODEL
from transforms.extract.stances import StanceDataError, load_topics
from transforms.ingest.articles import DEFAULT_MIN_WORDS
from transforms.ingest.stories import DEFAULT_WINDOW_DAYS as DEFAULT_STORY_WINDOW_DAYS
from transforms.ingest.cleaning import BoilerplateRules, RulesError, load_boilerplate_rules
from transforms.ingest.fetch import FetchSettings
from transforms.lake.lease import LeaseTimes


class NewsEventsOptions(PipelineOptions):
    """The pipeline's own flags; Beam's flags are parsed alongside them."""

    @classmethod
    def _add_argparse_args(cls, parser):
        parser.add_argument("--input", dest="inputs", action="append", default=None,
                            help="a file, a directory or a glob of .txt/.html/.htm/.jsonl "
                                 "articles; repeatable")
        parser.add_argument("--output", help="the output directory (tables, _runs/)")
        parser.add_argument("--run-id", dest="run_id", default=None,
                            help="names this run's files; a rerun with the same id replaces "
                                 "them (default: UTC timestamp)")
        parser.add_argument("--model", default=DEFAULT_MODEL, help="the spaCy model package")
        parser.add_argument("--feed", dest="feeds", action="append", default=None,
                            help="a feed URL (RSS, Atom or JSON Feed); repeatable")
        parser.add_argument("--feeds", dest="feeds_file", default=None,
                            help="a file of feed URLs, one per line; '#' starts a comment")
        parser.add_argument("--urls", dest="urls_file", default=None,
                            help="a file of article URLs, one per line; '#' starts a comment")
        parser.add_argument("--reprocess", action="store_true", default=False,
                            help="read every local input again, even one an earlier run published unchanged")
        parser.add_argument("--refetch", action="store_true", default=False,
                            help="fetch URLs again even when an earlier run fetched them")
        parser.add_argument("--allow-private-addresses", dest="allow_private", action="store_true",
                            default=False, help="lift the SSRF guard (local sites, tests)")
        parser.add_argument("--contact", default=FetchSettings.contact,
                            help="contact URL or e-mail put in the User-Agent")
        parser.add_argument("--fetch-concurrency", dest="fetch_concurrency", type=int, default=16,
                            help="requests in flight per worker")
        parser.add_argument("--per-host", dest="per_host", type=int, default=FetchSettings.per_host,
                            help="requests in flight to one host")
        parser.add_argument("--host-delay", dest="host_delay", type=float, default=FetchSettings.host_delay,
                            help="seconds between requests to one host")
        parser.add_argument("--fetch-timeout", dest="fetch_timeout", type=float,
                            default=FetchSettings.read_timeout, help="read timeout per request, seconds")
        parser.add_argument("--max-bytes", dest="max_bytes", type=int, default=FetchSettings.max_bytes,
                            help="largest body accepted, after decompression")
        parser.add_argument("--max-reject-ratio", dest="max_reject_ratio", type=float, default=None,
                            help="exit 3 when rejects / records read exceeds this (0-1)")
        parser.add_argument("--lease-ttl", dest="lease_ttl", type=float, default=LeaseTimes.ttl,
                            help="on S3 or GCS, how long the lake's lease lives unless renewed: a killed "
                                 "launcher's lake is free again after this")
        parser.add_argument("--lease-renew", dest="lease_renew", type=float, default=LeaseTimes.renew,
                            help="how often the lease is renewed (at most half of --lease-ttl)")
        parser.add_argument("--lease-wait", dest="lease_wait", type=float, default=LeaseTimes.wait,
                            help="wait this long for a lake another run holds (0: exit 2 at once)")
        parser.add_argument("--min-words", dest="min_words", type=int, default=DEFAULT_MIN_WORDS,
                            help="fewer words than this after cleaning is a reject")
        parser.add_argument("--boilerplate-rules", dest="boilerplate_rules", default=None,
                            help="a boilerplate rules JSON file replacing the packaged one")
        parser.add_argument("--story-window-days", dest="story_window_days", type=int, default=DEFAULT_STORY_WINDOW_DAYS,
                            help="a new article joins the story of a copy published this many days back "
                                 "(by ingest date); 0 links copies within the run only")
        parser.add_argument("--nlp-batch-size", dest="nlp_batch_size", type=int,
                            default=DEFAULT_BATCH_SIZE, help="articles per nlp.pipe batch")
        parser.add_argument("--chunk-size", dest="chunk_size", type=int, default=DEFAULT_CHUNK_SIZE,
                            help="input files per pipeline: a run over more is cut into chunks, each a pipeline "
                                 "of its own, published together at the end (bounds memory; the tables are "
                                 "the same)")
        parser.add_argument("--actors", dest="actor_files", action="append", default=None,
                            help="an actor dictionary (PETRARCH/Phoenix format) that adds to or "
                                 "overrides the packaged ones; repeatable")
        parser.add_argument("--agents", dest="agent_files", action="append", default=None,
                            help="an agent dictionary (PETRARCH format) added to the packaged one; "
                                 "repeatable")
        parser.add_argument("--topics", dest="topics_file", default=None,
                            help="a stance topics JSON file replacing the packaged topics.v2.json")
        parser.add_argument("--log-level", dest="log_level", default="INFO", choices=LOG_LEVELS,
                            help="what newsevents logs to standard error (progress at INFO): DEBUG, INFO, WARNING or ERROR")
        parser.add_argument("--beam-log-level", dest="beam_log_level", default="WARNING", choices=LOG_LEVELS,
                            help="what Beam, its workers and other libraries log: DEBUG, INFO, WARNING or ERROR")
        parser.add_argument("--log-format", dest="log_format", default="text", choices=LOG_FORMATS,
                            help="text (timestamped lines) or json (one object per line, for schedulers)")
        parser.add_argument("--progress-interval", dest="progress_interval", type=float, default=5.0,
                            help="seconds between progress lines while the pipeline works; 0 for none")
        parser.add_argument("--verbs", dest="verb_file", default=None,
                            help="a verb dictionary (PETRARCH format) replacing the packaged "
                                 "CAMEO.2.0.txt and its supplement")


#: The groups ``newsevents run --help`` shows our flags in, by destination.
HELP_GROUPS = (
    ("inputs", ("inputs", "feeds", "feeds_file", "urls_file", "reprocess")),
    ("output", ("output", "run_id", "max_reject_ratio", "lease_ttl", "lease_renew", "lease_wait")),
    ("fetching (feeds and URLs)", ("refetch", "allow_private", "contact", "fetch_concurrency", "per_host",
                                   "host_delay", "fetch_timeout", "max_bytes")),
    ("cleaning, wire copies and NLP", ("min_words", "boilerplate_rules", "story_window_days", "model",
                                       "nlp_batch_size", "chunk_size")),
    ("dictionaries and topics", ("actor_files", "agent_files", "verb_file", "topics_file")),
    ("logging and progress", ("log_level", "beam_log_level", "log_format", "progress_interval")),
)


#: Placeholders ``--help`` shows for the flags' values.
METAVARS = {"inputs": "PATH", "feeds": "URL", "feeds_file": "FILE", "urls_file": "FILE", "output": "DIR",
            "run_id": "ID", "max_reject_ratio": "RATIO",
            "lease_ttl": "SECONDS", "lease_renew": "SECONDS", "lease_wait": "SECONDS", "contact": "URL|EMAIL", "fetch_concurrency": "N",
            "per_host": "N", "host_delay": "SECONDS", "fetch_timeout": "SECONDS", "max_bytes": "BYTES",
            "min_words": "N", "boilerplate_rules": "FILE", "story_window_days": "DAYS", "model": "PACKAGE", "nlp_batch_size": "N",
            "chunk_size": "FILES",
            "actor_files": "FILE", "agent_files": "FILE", "verb_file": "FILE", "topics_file": "FILE",
            "log_level": "LEVEL", "beam_log_level": "LEVEL", "log_format": "FORMAT", "progress_interval": "SECONDS"}


class RefusingParser(argparse.ArgumentParser):
    """An argument parser whose mistakes are a :class:`UsageError` (one line, exit 2), not its own exit."""

    def error(self, message):
        raise UsageError(message)


class _DefaultsShown(argparse.HelpFormatter):
    """Help with each flag's default, when it has one worth showing."""

    def __init__(self, prog):
        super().__init__(prog, max_help_position=32, width=100)

    def _get_help_string(self, action):
        text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and "default" not in text:
            text += " (default: %(default)s)"
        return text


class _Grouped:
    """Hands each ``add_argument`` of :class:`NewsEventsOptions` to the help group its destination is in."""

    def __init__(self, groups):
        self.groups = groups

    def add_argument(self, *flags, **kwargs):
        dest = kwargs.get("dest") or flags[0].lstrip("-").replace("-", "_")
        group = next(g for name, dests in HELP_GROUPS if dest in dests for g in [self.groups[name]])
        if kwargs.get("action") not in ("store_true", "store_false"):
            kwargs.setdefault("metavar", METAVARS.get(dest))
        return group.add_argument(*flags, **kwargs)


def run_help() -> str:
    """``newsevents run --help``: the pipeline's own flags, grouped, with their defaults (Beam's own
    options are listed by ``--help-beam``)."""
    parser = argparse.ArgumentParser(
        prog="newsevents run", formatter_class=_DefaultsShown,
        usage="newsevents [run] --input PATH|--feed URL|--urls FILE --output DIR [options] [Beam options]",
        description="Read articles, extract entities, events, quotes and stances, and publish them as "
                    "Parquet tables into the lake at --output.",
        epilog="Beam: any Beam option is accepted as it is, e.g. --runner DaskRunner, --direct_num_workers 2, "
               "--direct_running_mode multi_processing; --help-beam lists them all. Exit codes: 0 published, "
               "1 failed (nothing published), 2 usage error, 3 published but rejects over --max-reject-ratio.")
    groups = {name: parser.add_argument_group(name) for name, _dests in HELP_GROUPS}
    NewsEventsOptions._add_argparse_args(_Grouped(groups))
    parser.add_argument("--help-beam", action="store_true", help="list Beam's own options and exit")
    return parser.format_help()


def beam_help() -> str:
    """``newsevents run --help-beam``: every option Beam accepts (its runners', file systems', workers'...)."""
    captured = {}

    def capture(parser) -> None:
        parser.prog = "newsevents run"
        captured["text"] = parser.format_help()

    PipelineOptions([]).get_all_options(add_extra_args_fn=capture)
    return captured["text"]


def _reject_unknown_flags(options: PipelineOptions, argv: List[str]) -> None:
    """Every flag must be ours or a Beam option's, with a value of the right type.

    ``get_all_options`` hands its parser (every ``PipelineOptions`` class's flags) to the callback
    before it parses; the callback parses ``argv`` with it and turns a mistake into a UsageError.
    """
    def check(parser) -> None:
        errors = io.StringIO()
        try:
            with contextlib.redirect_stderr(errors):
                _known, unknown = parser.parse_known_args(argv)
        except SystemExit as exc:
            if not exc.code:   # --help was printed
                raise
            lines = errors.getvalue().strip().splitlines() or ["bad arguments"]
            raise UsageError(lines[-1].split("error: ", 1)[-1]) from None
        if unknown:
            raise UsageError(f"unrecognised argument {unknown[0]!r}")

    options.get_all_options(add_extra_args_fn=check)


def parse_options(argv: Optional[List[str]]) -> Tuple[PipelineOptions, NewsEventsOptions]:
    """Parse our flags and Beam's; any flag neither knows is a usage error."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if any("DaskRunner" in arg for arg in argv):
        try:   # its options class lives in the runner's module (the newsevents[dask] extra)
            import apache_beam.runners.dask.dask_runner  # noqa: F401
        except ImportError as exc:
            raise UsageError("--runner DaskRunner needs the dask extra: pip install 'newsevents[dask]'") from exc
    options = PipelineOptions(argv)
    _reject_unknown_flags(options, argv)
    _pin_in_process_runner(options)
    return options, options.view_as(NewsEventsOptions)


#: What ``--runner`` may name besides Beam's known runners (the DaskRunner comes with an extra).
EXTRA_RUNNERS = ("DaskRunner",)
#: The names that mean "Beam's runner on this machine". Since Beam 2.68 the DirectRunner first tries the
#: Prism runner, downloading its binary from GitHub; the embedded default must never reach the network.
IN_PROCESS_ALIASES = ("DirectRunner", "SwitchingDirectRunner")
IN_PROCESS_RUNNER = "FnApiRunner"


def _pin_in_process_runner(options: PipelineOptions) -> None:
    """The default (and ``--runner DirectRunner``) is Beam's in-process FnApiRunner, which is what the
    DirectRunner runs a batch pipeline on, without its attempt to download Prism first.

    Raises:
        UsageError: ``--runner`` names no runner Beam knows.
    """
    standard = options.view_as(StandardOptions)
    runner = standard.runner
    if runner is None or runner.split(".")[-1] in IN_PROCESS_ALIASES:
        standard.runner = IN_PROCESS_RUNNER
        return
    known = set(StandardOptions.KNOWN_RUNNER_NAMES) | set(EXTRA_RUNNERS)
    if runner not in known and runner.removesuffix("Runner") + "Runner" not in known and "." not in runner:
        raise UsageError(f"--runner {runner}: no such runner (one of {', '.join(sorted(known))}, "
                         "or a runner's dotted class path)")


def quiet_runner(options: PipelineOptions):
    """The runner for ``--direct_running_mode multi_processing`` on the in-process runner: Beam's own
    FnApiRunner with the worker environment that mode sets, except that each worker process starts through
    :mod:`pipelines.worker`, which keeps its start-up chatter off the launcher's standard error. None
    (Beam picks the runner from the options) for every other runner and mode."""
    standard, direct = options.view_as(StandardOptions), options.view_as(DirectOptions)
    if standard.runner != IN_PROCESS_RUNNER or direct.direct_running_mode != "multi_processing":
        return None
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner
    from apache_beam.transforms import environments

    # With its environment given, the runner must not replace it with the default worker command.
    direct.direct_running_mode = "in_memory"
    command = f"{shlex.quote(sys.executable)} -m pipelines.worker"
    return FnApiRunner(default_environment=environments.SubprocessSDKEnvironment.from_command_string(command))


def check_flags(args: NewsEventsOptions) -> BoilerplateRules:
    """Check what the flags name before a run starts; returns the boilerplate rules in use.

    Raises:
        UsageError: bad boilerplate rules or topics, a model that is not installed, a dictionary
            file that does not exist, or a number out of range.
    """
    try:
        rules = load_boilerplate_rules(args.boilerplate_rules)
    except (OSError, RulesError) as exc:
        raise UsageError(f"--boilerplate-rules: {exc}") from exc
    if find_spec(args.model) is None:
        raise UsageError(f"--model {args.model}: no such spaCy model package is installed")
    for flag, paths in (("--actors", args.actor_files), ("--agents", args.agent_files),
                        ("--verbs", [args.verb_file] if args.verb_file else [])):
        for path in paths or []:
            if not os.path.isfile(path):
                raise UsageError(f"{flag} {path}: no such file")
    if args.topics_file:
        try:
            load_topics(args.topics_file)
        except (OSError, StanceDataError) as exc:
            raise UsageError(f"--topics {args.topics_file}: {exc}") from exc
    if args.min_words < 1 or args.nlp_batch_size < 1 or args.chunk_size < 1:
        raise UsageError("--min-words, --nlp-batch-size and --chunk-size must be positive")
    for flag, value in (("--per-host", args.per_host), ("--fetch-concurrency", args.fetch_concurrency),
                        ("--max-bytes", args.max_bytes)):
        if value < 1:
            raise UsageError(f"{flag} {value}: must be at least 1")
    if not args.fetch_timeout > 0:
        raise UsageError(f"--fetch-timeout {args.fetch_timeout}: must be more than 0 seconds")
    if not args.host_delay >= 0:
        raise UsageError(f"--host-delay {args.host_delay}: must be 0 seconds or more")
    if args.run_id is not None and not args.run_id.strip():
        raise UsageError("--run-id: empty (leave the flag out for an id from the start time)")
    if args.story_window_days < 0:
        raise UsageError(f"--story-window-days {args.story_window_days}: must be 0 or more")
    if args.max_reject_ratio is not None and not 0 <= args.max_reject_ratio <= 1:
        raise UsageError("--max-reject-ratio must be between 0 and 1")
    try:
        lease_times(args)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    return rules


def lease_times(args: NewsEventsOptions) -> LeaseTimes:
    """The lake lease's times from the flags (``transforms.lake.lease``); ValueError names a bad one."""
    return LeaseTimes(ttl=args.lease_ttl, renew=args.lease_renew, wait=args.lease_wait).check()


def fetch_settings(args: NewsEventsOptions) -> FetchSettings:
    """The politeness and safety settings the fetch flags give."""
    return FetchSettings(contact=args.contact, read_timeout=args.fetch_timeout, max_bytes=args.max_bytes,
                         per_host=args.per_host, host_delay=args.host_delay, allow_private=args.allow_private)


#: Words in a flag's name that mark a secret: kept out of the manifest ("--s3_secret_access_key").
SECRET_WORDS = ("secret", "password", "token", "access_key", "credential")


def public_options(options: PipelineOptions) -> dict:
    """The flags the run was given (defaults left out), with secrets replaced by ``"***"``: what the
    manifest records."""
    return {name: ("***" if value is not None and any(word in name.lower() for word in SECRET_WORDS) else value)
            for name, value in options.get_all_options(drop_default=True).items()}
