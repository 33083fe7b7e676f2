"""``python -m tpcheck`` is the ``tpcheck`` command."""

import sys

from .cli import main

sys.exit(main())
