"""Where the tests find Redis, and a Redis database number of their own per test process."""

import os
import zlib

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def redis_reachable() -> bool:
    import redis

    try:
        return redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        return False


def private_db_number() -> int:
    """1..15, different for each xdist worker and process, so parallel runs do not share queues."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return 1 + zlib.crc32(f"{worker}-{os.getpid()}".encode()) % 15


def redis_url(db: int) -> str:
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{db}"
