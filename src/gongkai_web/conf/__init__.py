"""Settings split by purpose: ``base`` (shared), ``dev`` (the demo on SQLite), ``test`` and
``production`` (refuses DEBUG and demo users)."""
