"""Sōzō Studio's Qt front end. Everything that imports Qt lives here; engines live in
``engines`` and never import from this package."""
