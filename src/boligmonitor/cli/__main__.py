"""``python -m boligmonitor.cli``: the command line."""

from boligmonitor.cli import main

main()
