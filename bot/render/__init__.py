"""Platform-neutral pictures (PNG bytes) drawn with Pillow."""
