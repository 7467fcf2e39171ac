"""taskforce: the document pipeline of the Italy-Russia Task Force on SMEs and industrial districts."""

__version__ = "0.1.0"
