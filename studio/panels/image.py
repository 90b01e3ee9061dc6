"""The Image panel."""

from __future__ import annotations

from engines.catalogue import Task
from studio.panels.base import EngineNotBuiltPanel


class ImagePanel(EngineNotBuiltPanel):
    task = Task.image
    title = "Image"
    subtitle = "Images from text, latent sliders between results, and drag-and-drop editing with a painted mask."
    prompt_placeholder = "Describe the image you want…"
    coming = "It will turn prompts into images with the project's own VAE, GAN and latent diffusion models, and with Stable Diffusion checkpoints you import."
