"""prefect.yaml stays in step with the flow: its entrypoint and parameters exist."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import yaml
from prefect.flows import Flow

ROOT = Path(__file__).parent.parent


def test_prefect_yaml_entrypoint_and_parameters():
    """Every deployment points at a flow, with parameters that flow takes and a valid cron."""
    from prefect.schedules import Cron

    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    for deployment in config["deployments"]:
        path, name = deployment["entrypoint"].split(":")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        flow = getattr(module, name)
        assert isinstance(flow, Flow)
        accepted = set(inspect.signature(flow.fn).parameters)
        assert set(deployment["parameters"]) <= accepted
        for schedule in deployment["schedules"]:
            Cron(schedule["cron"])


def test_deployment_runs_like_pageclean_run():
    """The deployment leaves batch sizing and parallelism to the flow, whose defaults are those of
    `pageclean run` (batch size, size limit, one parsing process per core)."""
    from flows.curate import curate
    from pageclean.cli import DEFAULT_WORKERS, _build_parser

    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    run = _build_parser().parse_args(["run"])
    flow_defaults = {name: p.default for name, p in inspect.signature(curate.fn).parameters.items()}
    assert flow_defaults["batch_size"] == run.batch_size
    assert flow_defaults["max_bytes"] == run.max_bytes
    assert flow_defaults["workers"] is None and run.workers == DEFAULT_WORKERS  # None: the cores
    for deployment in config["deployments"]:
        assert not {"batch_size", "max_bytes", "workers"} & set(deployment["parameters"])
