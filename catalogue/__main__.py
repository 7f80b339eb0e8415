"""Command line for organisers: `python -m catalogue check FILE [--json]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from catalogue import check


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m catalogue")
    commands = parser.add_subparsers(dest="command", required=True)
    check.add_arguments(commands.add_parser("check", help="load an agenda and report on it"))
    args = parser.parse_args(argv)
    return check.run(args, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
