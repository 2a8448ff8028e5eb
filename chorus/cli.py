"""The `chorus` command: Django's management commands under one name.

`chorus serve`, `chorus worker`, `chorus migrate`, `chorus createadmin`,
`chorus audit verify`, `chorus keys rotate`, `chorus backup`, `chorus restore`, and any
other management command.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["chorus", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
