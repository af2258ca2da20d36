"""The apps behind notebooks/*.ipynb: each module builds one app's widgets from yibao_lib's
public API, so a notebook only says ``XxxApp.from_query().widget``."""
