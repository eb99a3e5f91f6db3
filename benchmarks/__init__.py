# SPDX-License-Identifier: GPL-3.0-or-later
"""`python -m benchmarks`: the app's work at village, town and county scale, each figure beside
the floor of the same work measured in the same run (docs/benchmarks.md).

Not part of the test suite: the machine is shared and noisy, so only ratios mean something, and
only the `--quick` smoke run is a test (tests/benchmarks/test_quick.py).
"""

import os

# Headless sign-in for every data file the benchmarks make (and their subprocesses).
os.environ.setdefault("RED_STEWARD_USER", "bench")
os.environ.setdefault("RED_STEWARD_PASSWORD", "bench-Pa55word!")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
