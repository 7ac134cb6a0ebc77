"""``python -m guideline_site``: the ``guideline-site`` command (``guideline_site.cli``)."""

import sys

from guideline_site.cli import main

sys.exit(main())
