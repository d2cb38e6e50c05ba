"""``python -m benchmarks [--smoke] [--repeat N] [--only NAME ...]``."""

from benchmarks.run import main

raise SystemExit(main())
