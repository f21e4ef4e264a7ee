"""Settings for the real-time bench's servers: production settings, chat rate limit lifted.

One sender at 20 messages a second is far over the per-address limit (5 per 10 s) on purpose:
the bench measures fan-out, not the limiter (which tests/chat covers).
"""

from config.settings import *  # noqa: F403

YOAKE_CHAT_RATE_COUNT = 1_000_000
