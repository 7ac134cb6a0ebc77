"""Catalogues of the machinery's user-facing words, one JSON file per language (see ``calculator.text``)."""
