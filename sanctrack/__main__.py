"""``python -m sanctrack``: the command line."""

from sanctrack.cli import main

main()
