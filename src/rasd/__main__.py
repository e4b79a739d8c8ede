"""`python -m rasd` runs the CLI."""

from rasd.cli.main import main

main()
