"""Batches: many jobs from one TOML file (:mod:`engines.batch.spec`), made here or on a
Ray cluster (:mod:`engines.batch.run`), each output made by :mod:`engines.batch.render`."""
