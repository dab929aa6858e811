"""The product's entry points: settings, the ``nianbao`` CLI, and the worker, bot and web processes."""
