"""``gongkai-web`` — Django's manage.py for the web app (development settings unless
DJANGO_SETTINGS_MODULE says otherwise)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai_web.conf.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai-web", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
