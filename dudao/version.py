"""The package version, in a module of its own so that modules inside dudao can read it without
importing the package root (whose lazy exports reach back into them)."""
__version__ = "0.1.0"
