"""The theme overrides shipped with guideline-site (package data: the plugin adds this folder to the
sites theme, below the sites own custom_dir; this file is never published)."""
