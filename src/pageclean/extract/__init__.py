"""Stage 4 helpers shared by every format: chapters and links found in free text."""
