"""Widgets shared by the apps in notebooks/: one look, one way to show a result or an error.

Only the apps import this package (it needs ipywidgets and matplotlib); the rules in
``yibao_lib`` never do.
"""
