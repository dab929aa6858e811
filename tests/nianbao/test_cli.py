"""The dispatcher knows which module owns every sub-command, and a report command loads no Temporal."""

import subprocess
import sys

from nianbao.cli import COMMAND_MODULES, COMMANDS, build_parser


def test_every_registered_sub_command_is_in_the_dispatch_table() -> None:
    for module in COMMAND_MODULES:
        parser = build_parser((module,))
        registered = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
        assert registered == {name for name, owner in COMMANDS.items() if owner == module}


def test_report_commands_start_without_the_workflow_stack() -> None:
    code = (
        "import sys\n"
        "from nianbao.cli import main\n"
        "try:\n"
        "    main(['check', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('temporalio' in sys.modules, 'aiogram' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "False False"
