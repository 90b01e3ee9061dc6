"""Text to speech on ONNX Runtime."""
