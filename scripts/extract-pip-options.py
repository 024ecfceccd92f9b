#!/usr/bin/env python3
"""Read pip's option tables out of the running pip's own optparse parsers.

Source: pip/_internal/cli/main_parser.py (create_main_parser), pip/_internal/commands/__init__.py
(create_command), pip/_internal/cli/cmdoptions.py. Run it under the interpreter whose pip you want:

    cd "$(mktemp -d)" && /usr/bin/python3 /path/to/extract-pip-options.py > pip-23.0.1.json
    python3 extract-pip-options.py --usage > usage-23.2.1.json

The default output is the shape of ../../shared/reference/pip-options/*.json (see its README): the
general options of the main parser, and the own groups of install/download/wheel/lock (the general
group left out). Defaults that depend on the machine (cache dir, src dir under the current
directory) are whatever this pip computes here; the shipped tables were made with HOME=/root and the
current directory /tmp/optdump. `--usage` prints instead each parser's usage template (`%prog`
unexpanded, dedented as pip's help formatter does), for printing errors in pip's shape.
No configuration is loaded: every PIP_* variable is removed and PIP_CONFIG_FILE is os.devnull.
"""

import json
import os
import sys
import textwrap

for _key in list(os.environ):
    if _key.startswith("PIP_"):
        del os.environ[_key]
os.environ["PIP_CONFIG_FILE"] = os.devnull

from pip import __version__ as PIP_VERSION  # noqa: E402
from pip._internal.cli.main_parser import create_main_parser  # noqa: E402
from pip._internal.commands import commands_dict, create_command  # noqa: E402

INTERCEPTED = ("install", "download", "wheel", "lock")
SCALARS = (str, int, float, bool, type(None))


def option_entry(option):
    default = option.default
    # optparse's NO_DEFAULT is a tuple, lists and FormatControl objects are not scalars: all null.
    if default is not None and not isinstance(default, SCALARS):
        default = None
    return {
        "names": list(option._short_opts) + list(option._long_opts),
        "takesValue": bool(option.takes_value()),
        "action": option.action,
        "dest": option.dest,
        "type": option.type,
        "choices": list(option.choices) if option.choices is not None else None,
        "default": default,
    }


def is_general_group(group):
    return group.title == "General Options"


def table():
    main_parser = create_main_parser()
    general = [option_entry(o) for g in main_parser.option_groups for o in g.option_list]
    command_options = {}
    for name in INTERCEPTED:
        if name not in commands_dict:
            continue
        command = create_command(name)
        command_options[name] = [
            {"group": g.title, "options": [option_entry(o) for o in g.option_list]}
            for g in command.parser.option_groups
            if not is_general_group(g)
        ]
    return {
        "pipVersion": PIP_VERSION,
        "commands": sorted(commands_dict),
        "general": general,
        "commandOptions": command_options,
    }


def usage_lines(usage):
    # PrettyHelpFormatter.format_usage: textwrap.dedent, then every line indented by two spaces.
    return textwrap.dedent(usage).split("\n")


def usages():
    main_parser = create_main_parser()
    commands = {}
    for name in sorted(commands_dict):
        command = create_command(name)
        commands[name] = usage_lines(command.parser.usage)
    return {
        "pipVersion": PIP_VERSION,
        "source": "read from pip " + PIP_VERSION,
        "main": usage_lines(main_parser.usage),
        "commands": commands,
    }


def main():
    data = usages() if "--usage" in sys.argv[1:] else table()
    sys.stdout.write(json.dumps(data, indent=1))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
