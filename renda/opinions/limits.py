"""The constituent-side limits, each sized by a setting (README's table) and counted in renda/core/ratelimit.py.

Submissions ("mine too" included) count per address and per device (a long-lived random cookie); tracking-code
look-ups count per address on every channel (web, JSON API, Open311), so a code cannot be guessed through any of them.
"""

from renda.core.ratelimit import Limit

SUBMIT_PER_IP = Limit("opinion-submit-ip", "LIMIT_SUBMIT_PER_IP_HOUR", 3600)
SUBMIT_PER_DEVICE = Limit("opinion-submit-device", "LIMIT_SUBMIT_PER_DEVICE_HOUR", 3600)
TRACK_PER_IP = Limit("opinion-track-ip", "LIMIT_TRACK_PER_IP_MINUTE", 60)
