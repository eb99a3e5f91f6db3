# SPDX-License-Identifier: GPL-3.0-or-later
import sys

from benchmarks.run import main

sys.exit(main())
