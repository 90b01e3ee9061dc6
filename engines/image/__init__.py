"""Image generation: VAE, GAN, latent diffusion and upscaling."""
