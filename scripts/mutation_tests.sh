#!/bin/sh
# The test command `make mutation` has mutmut run against each mutant: the fast tests of
# the rules and validation (no browser, Hypothesis "quick" profile). mutmut 2 counts
# only exit status 1 as "killed", while pytest exits 2 when a mutant breaks an import,
# so every failure is reported as 1.
HYPOTHESIS_PROFILE=quick "${PYTHON:-python3}" -m pytest -x -q -p no:cacheprovider -p no:playwright \
  -m "not browser and not build" \
  tests/test_conditions.py tests/test_engine.py tests/test_releases.py tests/test_*_rules.py \
  tests/test_validation.py tests/test_note.py tests/test_vignettes.py tests/test_properties.py || exit 1
