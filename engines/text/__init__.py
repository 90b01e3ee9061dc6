"""Text generation with Transformer language models."""
