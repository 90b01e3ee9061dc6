"""The history of everything made: the recorder that hears every job, and its dock."""
