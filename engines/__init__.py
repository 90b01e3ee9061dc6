"""Sōzō Studio's engine layer: models, jobs, devices and the model catalogue.

Nothing here imports Qt (an import-linter contract and a test enforce it), and nothing
imports torch, transformers, diffusers or onnxruntime at import time: engines import
them inside ``load()`` so that the window opens fast.
"""

__version__ = "0.1.0"
APP_NAME = "Sōzō Studio"
