"""lc: the command-line toolkit for Let's Connect Learning Clinics."""

__version__ = "0.1.0"
