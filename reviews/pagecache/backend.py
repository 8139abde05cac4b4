"""
Django's Redis cache backend, with what the page cache
(``reviews.pagecache.middleware``) needs of it besides keys and values:

- publish and subscribe, through which every app server learns at once that
  the pages it keeps in memory are out of date (Redis delivers a message to
  every subscriber whose subscription was confirmed before it was sent);
- one redis-py client per connection pool: Django builds a new client for
  every call, which costs about as much as the round trip to Redis itself
  (about 50 µs), while a client is only a handle on its thread-safe pool.

``clear()`` announces itself on ``CLEARED_CHANNEL``, so that nothing keeps a
copy of what was cleared (and sends ``cleared``, so the process that cleared
drops its own copies at once rather than when the announcement reaches it);
``ping()`` tells, within a timeout of its own, whether Redis answers
(``/healthz``).
"""

from django.core.cache.backends import redis as django_redis
from django.dispatch import Signal
from redis.client import PubSub

#: The channel ``clear()`` publishes on, named like a key (within the prefix).
CLEARED_CHANNEL = "cache:cleared"
#: Sent in the process that cleared the cache, once it is cleared.
cleared = Signal()


class SubscriptionLost(ConnectionError):
    """The subscription's connection broke: messages may have been missed."""


class Subscription(PubSub):
    """
    redis-py's PubSub, which reconnects and subscribes again by itself when
    its connection breaks; messages sent in between are lost without a word.
    Here a reconnection is an error instead, so its owner knows to distrust
    what it kept.
    """

    lost = False

    def on_connect(self, connection):
        super().on_connect(connection)
        self.lost = True

    def messages(self):
        """How many messages arrived since last asked; never waits."""
        arrived = 0
        while self.get_message(timeout=0) is not None:
            arrived += 1
        if self.lost:
            raise SubscriptionLost("the subscription's connection was replaced")
        return arrived


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def publish(self, channel, message=b""):
        """Send ``message`` to every subscriber of ``channel``."""
        client = self._cache.get_client(write=True)
        client.publish(self.make_and_validate_key(channel), message)

    def subscribe(self, *channels, timeout=1.0):
        """
        A confirmed subscription to ``channels``: every message published on
        them from now on reaches it (read with ``messages()``).
        """
        subscription = Subscription(self._cache.get_client(write=True).connection_pool)
        subscription.subscribe(*(self.make_and_validate_key(name) for name in channels))
        for _ in channels:
            confirmation = subscription.get_message(timeout=timeout)
            if confirmation is None or confirmation["type"] != "subscribe":
                subscription.close()
                raise SubscriptionLost(f"Redis did not confirm: {confirmation!r}")
        return subscription

    def ping(self, timeout):
        """
        Whether Redis answers within ``timeout`` seconds, on a connection of
        its own: the pool's timeouts are those of a page, and a hung Redis
        must not make each health check wait that long.
        """
        pool = self._cache._get_connection_pool(write=True)
        connection = pool.connection_class(
            **{
                **pool.connection_kwargs,
                "socket_timeout": timeout,
                "socket_connect_timeout": timeout,
            }
        )
        try:
            connection.connect()
            connection.send_command("PING")
            return connection.read_response() in (b"PONG", "PONG", True)
        finally:
            connection.disconnect()

    def clear(self):
        emptied = super().clear()
        self.publish(CLEARED_CHANNEL)
        cleared.send(sender=type(self))
        return emptied
