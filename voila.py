"""Start-up checks, loaded by Voilà together with voila.json (every setting is in voila.json).

traitlets loads ``voila.py`` and ``voila.json`` from each of ``Voila.config_file_paths`` (the
folder Voilà starts in, or what ``--Voila.config_file_paths`` names: ``make run`` passes the
project root), and Voilà's server extension (``jupyter lab``, ``jupyter server``, Binder) loads both
from its working directory.  Without yibao_lib (voila.json's ``client_class``) or the ``yibao``
template, Voilà would start and then answer HTTP 500 or hang on every page; this file stops it at
start-up instead, saying what is missing and how to fix it (yibao_lib/serving.py,
``check_voila_setup``; tests/test_startup_errors.py).
"""

import sys

if "c" not in globals():  # imported as a module, not loaded as settings by traitlets
    raise ImportError(
        f"{__file__} is the yibao project's Voilà settings file, not the voila package: in this "
        "folder run the `voila` command (not `python -m voila`), or use `python -P`."
    )

try:
    from yibao_lib.serving import check_voila_setup, pass_tornado_settings_to_tornado
except ImportError as error:
    sys.exit(
        f"yibao: 找不到 Python 包 yibao_lib（{error}），Voilà 无法提供应用。\n"
        f"The package yibao_lib is not importable by {sys.executable} ({error}).\n"
        "  Fix: `pip install .` in the project root (or `make run`, which sets up .venv)."
    )
check_voila_setup(__file__)
pass_tornado_settings_to_tornado()  # voila.json's gzip setting reaches tornado (standalone Voilà)
