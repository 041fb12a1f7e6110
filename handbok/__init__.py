"""handbok: a quality-management handbook from Markdown routines (SOSFS 2011:9)."""

__version__ = "0.1.0"
