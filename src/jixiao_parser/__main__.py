"""``python -m jixiao_parser`` runs the ``jixiao`` command."""

import sys

from .cli import main

sys.exit(main())
