"""``python -m gongkai`` runs the command line."""

from gongkai.cli import main

raise SystemExit(main())
