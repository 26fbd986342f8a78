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
