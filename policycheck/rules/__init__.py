"""Rule metadata: the catalogue of rule packages kept as data under ``policies/``."""
