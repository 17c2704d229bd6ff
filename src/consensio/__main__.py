"""`python -m consensio` is the `consensio` command."""

from consensio.cli import main

raise SystemExit(main())
