"""The report commands are registered with the real command line."""

from __future__ import annotations

import importlib

from tests.report.conftest import REGISTERED_COMMANDS, REPORT_COMMANDS

from genguard.cli import main as cli_main


def test_report_commands_are_registered() -> None:
    assert set(REPORT_COMMANDS) <= set(REGISTERED_COMMANDS)
    for name in REPORT_COMMANDS:
        module = importlib.import_module(f"genguard.cli.{cli_main.MODULES.get(name, name)}")
        assert callable(module.add_parser) and callable(module.run)
    assert cli_main.MODULES["import"] == "import_cmd"
