"""The calculator's version: defined here once, below every module that writes it.

``pyproject.toml`` reads it for the package, ``calculator.__version__`` is the same value, and
results, schemas and exports carry it as ``calculator_version``.
"""

__version__ = "0.1.0"
