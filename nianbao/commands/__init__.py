"""One module per group of ``nianbao`` sub-commands."""
