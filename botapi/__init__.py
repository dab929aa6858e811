"""A local Bot API server speaking the real Telegram wire format, for development and tests."""
