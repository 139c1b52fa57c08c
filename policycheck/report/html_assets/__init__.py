"""What the HTML report inlines: its stylesheet, its script and its exposure graph.

Kept as Python modules rather than package data so the report needs no file lookups
and a wheel needs no extra configuration.
"""
