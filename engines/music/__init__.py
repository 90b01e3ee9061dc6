"""Melody generation: a melody VAE and a melody Transformer."""
