"""One router per feature; ``bot.app`` includes them in order (catch-alls last)."""
