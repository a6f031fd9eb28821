"""Where the platform overrides, copies or leans on a library's private internals, the upstream
code it was checked against is pinned here: the package's version and a hash of the code's
source. An upgrade that changes either fails here, naming the code of ours to re-check; once it
is re-checked (and the behaviour tests named there pass), record the new version and hash.

What each override does is tested where it is used: tests/core/test_channel_layer.py and
tests/faults/ (the channel layer, the Celery QoS), tests/discussions/test_consumer_cleanup.py
(core/sockets.py), tests/test_daphne_flow.py (config/daphne_flow.py), tests/core/test_request_body.py
(config/daphne_body.py), tests/core/test_asgi_handler.py (core/asgi_handler.py),
tests/core/test_static_files.py (core/static_files.py)."""

import asyncio
import hashlib
import importlib
import importlib.metadata
import inspect
from dataclasses import dataclass

import pytest
from kombu import Connection
from kombu.transport import redis as kombu_redis

from config import celery as platform_celery
from core import channel_layer


@dataclass(frozen=True)
class Pinned:
    upstream: str  # "module:qualified.name"
    checked: tuple[str, str]  # the distribution that ships it, and its version
    digest: str  # sha256 of its source, first 16 hex digits
    ours: str  # what relies on it


# The versions checked; an upgrade moves one of these and records the hashes that changed.
KOMBU = "kombu", "5.7.0"
CHANNELS_REDIS = "channels-redis", "4.3.0"
REDIS = "redis", "8.1.0"
CHANNELS = "channels", "4.3.2"
DAPHNE = "daphne", "4.2.3"
UVICORN = "uvicorn", "0.55.0"
AUTOBAHN = "autobahn", "26.11.1"
DJANGO = "django", "6.1.3"
ALLAUTH = "django-allauth", "65.21.1"
TWISTED = "twisted", "26.10.0"
ASGIREF = "asgiref", "3.13.0"
WHITENOISE = "whitenoise", "6.12.0"


CELERY_QOS = "config/celery.py (QoS)"
CHANNEL_LAYER = "core/channel_layer.py (PubSubChannelLayer, _LoopLayer, _Shard)"
RECEIVER = "core/channel_layer.py (_Shard._do_receiving, a copy, and its handling of timeouts)"
BOUNDED_POOL = "core/channel_layer.py (BoundedRedisChannelLayer.create_pool)"
SOCKETS = "core/sockets.py (LiveConsumer)"
DAPHNE_FLOW = "config/daphne_flow.py (handle_reply)"
QUESTIONS_FIELD = "dialogues/forms.py (QuestionsField._check_values)"
SIGNUP_FORM = "accounts/forms.py (SignupForm.try_save) and accounts/adapter.py (send_mail's cooldown)"
DAPHNE_BODY = "config/daphne_body.py (gotLength, handleContentChunk)"
ASGI_HANDLER = (
    "core/asgi_handler.py (OneHopASGIHandler: handle and __call__ in one hop, tests/core/test_asgi_handler.py)"
)
STATIC_FILES = "core/static_files.py (StaticFilesMiddleware's asynchronous branch)"
REDIS_CLIENT = "core/redis_cache.py (KeptRedisCacheClient.get_client, RedisCache._cache)"
KEPT_PAGES = (
    "core/kept_pages.py (watch_statement, _written: the stamps after commit, tests/discussions/test_kept_pages.py)"
)

PINNED = [
    # kombu: the QoS that does not talk to a connection Celery has collected.
    Pinned("kombu.transport.redis:QoS", KOMBU, "2a3e5c43dc039ae8", CELERY_QOS),
    Pinned("kombu.transport.virtual.base:QoS.restore_unacked_once", KOMBU, "c81f3d0fb29b9599", CELERY_QOS),
    Pinned("kombu.connection:Connection.collect", KOMBU, "36d622aa0b69908a", CELERY_QOS),
    Pinned("kombu.connection:Connection._do_close_transport", KOMBU, "3e87de68f6283cf7", CELERY_QOS),
    # channels_redis: the pub/sub layer whose receiver tells the sockets when Redis is lost.
    Pinned("channels_redis.pubsub:RedisPubSubChannelLayer", CHANNELS_REDIS, "53db4ff7b5700b24", CHANNEL_LAYER),
    Pinned("channels_redis.pubsub:RedisPubSubLoopLayer", CHANNELS_REDIS, "eb21fee33c3e3c2c", CHANNEL_LAYER),
    Pinned("channels_redis.pubsub:RedisSingleShardConnection", CHANNELS_REDIS, "2bae23cd891e94d1", CHANNEL_LAYER),
    Pinned("channels_redis.utils:_wrap_close", CHANNELS_REDIS, "3d610af1683772a9", CHANNEL_LAYER),
    Pinned(
        "channels_redis.pubsub:RedisSingleShardConnection._do_receiving", CHANNELS_REDIS, "a822736dcb875e43", RECEIVER
    ),
    # redis-py: a read that outlasts get_message's timeout answers None (an idle connection is
    # not an error); its own TimeoutError comes from the socket timeouts of a Redis out of reach.
    Pinned("redis.asyncio.client:PubSub.get_message", REDIS, "bf92023c2c452e85", RECEIVER),
    Pinned("redis.asyncio.client:PubSub.parse_response", REDIS, "9dc6547c1d1ed3e7", RECEIVER),
    Pinned("redis.asyncio.connection:AbstractConnection.read_response", REDIS, "c1b374bc1a30d0b4", RECEIVER),
    Pinned("channels_redis.core:RedisChannelLayer.create_pool", CHANNELS_REDIS, "078b4e157f6e27bc", BOUNDED_POOL),
    Pinned("channels_redis.utils:create_pool", CHANNELS_REDIS, "c706feb32b834078", BOUNDED_POOL),
    # channels: the consumer's dispatch, disconnect and __call__ that LiveConsumer replaces or wraps.
    Pinned("channels.consumer:AsyncConsumer.__call__", CHANNELS, "e52238720872dbc3", SOCKETS),
    Pinned("channels.consumer:AsyncConsumer.dispatch", CHANNELS, "39f34e7d4fb0f655", SOCKETS),
    Pinned(
        "channels.generic.websocket:AsyncWebsocketConsumer.websocket_disconnect", CHANNELS, "10f38aa55fd51ff5", SOCKETS
    ),
    # A send on a socket that has gone raises uvicorn's ClientDisconnected (scripts/web), and one
    # after the application's own close a RuntimeError; LiveConsumer drops the first and sends
    # nothing after its close. On SIGTERM uvicorn closes every socket with 1012 and hands the
    # application websocket.disconnect.
    Pinned(
        "uvicorn.protocols.websockets.websockets_sansio_impl:WebSocketsSansIOProtocol.send",
        UVICORN,
        "3b8afeb81b9b9ae8",
        SOCKETS,
    ),
    Pinned(
        "uvicorn.protocols.websockets.websockets_sansio_impl:WebSocketsSansIOProtocol.shutdown",
        UVICORN,
        "9dc78b17c097305e",
        SOCKETS,
    ),
    Pinned(
        "uvicorn.protocols.websockets.websockets_sansio_impl:WebSocketsSansIOProtocol.connection_lost",
        UVICORN,
        "d0f4179c028b3303",
        SOCKETS,
    ),
    # A send on a socket daphne has closed raises autobahn's Disconnected (runserver; dropped too).
    Pinned("daphne.ws_protocol:WebSocketProtocol.handle_reply", DAPHNE, "5331423b1cf2016a", SOCKETS),
    Pinned("autobahn.websocket.protocol:WebSocketProtocol.sendMessage", AUTOBAHN, "048d6bcf0d712309", SOCKETS),
    # daphne: the reply path that the flow control wraps.
    # (Server.handle_reply as daphne has it: config/daphne_flow.py keeps it before installing its own)
    Pinned("config.daphne_flow:_daphne_handle_reply", DAPHNE, "9d9dbaea6de0657a", DAPHNE_FLOW),
    Pinned("daphne.http_protocol:WebRequest.handle_reply", DAPHNE, "3e14b239c2602d95", DAPHNE_FLOW),
    # Twisted: where a request body is stored and parsed (the private _parsePOSTFormSubmission),
    # and daphne's process() that queues what was stored.
    Pinned("twisted.web.http:Request.gotLength", TWISTED, "1c389b99da50b0ae", DAPHNE_BODY),
    Pinned("twisted.web.http:Request.handleContentChunk", TWISTED, "6e942756afb787b4", DAPHNE_BODY),
    Pinned("twisted.web.http:Request.requestReceived", TWISTED, "99ca6c5e24305de4", DAPHNE_BODY),
    Pinned("daphne.http_protocol:WebRequest.process", DAPHNE, "e9babd1c97ce710b", DAPHNE_BODY),
    # Django's ASGI handler: what OneHopASGIHandler reuses (read_body, create_request,
    # send_response, listen_for_disconnect, get_response) and what it does in its own way
    # (handle, run_get_response); asgiref: a ThreadSensitiveContext that uses a given executor
    # and leaves it running on exit.
    Pinned("django.core.handlers.asgi:ASGIHandler.handle", DJANGO, "c91f27c7fcdc3fff", ASGI_HANDLER),
    Pinned("django.core.handlers.asgi:ASGIHandler.read_body", DJANGO, "88b4e284fc829700", ASGI_HANDLER),
    Pinned("django.core.handlers.asgi:ASGIHandler.create_request", DJANGO, "5eae59c6696013ff", ASGI_HANDLER),
    Pinned("django.core.handlers.asgi:ASGIHandler.send_response", DJANGO, "d91e83d2c6859eda", ASGI_HANDLER),
    Pinned("django.core.handlers.asgi:ASGIHandler.run_get_response", DJANGO, "0234ea5fe09a5777", ASGI_HANDLER),
    Pinned("django.core.handlers.asgi:ASGIHandler.listen_for_disconnect", DJANGO, "c729aa315c734f98", ASGI_HANDLER),
    Pinned("django.core.handlers.base:BaseHandler.get_response", DJANGO, "3d6a79b124c2cccb", ASGI_HANDLER),
    Pinned("asgiref.sync:ThreadSensitiveContext.__aenter__", ASGIREF, "b0355bf6b275a7c2", ASGI_HANDLER),
    Pinned("asgiref.sync:ThreadSensitiveContext.__aexit__", ASGIREF, "5571fec562fa6e84", ASGI_HANDLER),
    # Django: the private check of the chosen primary keys, and the clean() that calls it.
    Pinned("django.forms.models:ModelMultipleChoiceField._check_values", DJANGO, "7e5524a146cef4e7", QUESTIONS_FIELD),
    Pinned("django.forms.models:ModelMultipleChoiceField.clean", DJANGO, "bd72bd9471159eb6", QUESTIONS_FIELD),
    # allauth: the sign-up's two paths (account_already_exists, set in validate_unique_email) that
    # our try_save evens out, and the rate limit that left out the "link sent" message with the
    # e-mail (switched off; the adapter limits the e-mails). tests/accounts/test_enumeration.py.
    Pinned("allauth.account.forms:SignupForm.try_save", ALLAUTH, "916adf1f6a9d3ac9", SIGNUP_FORM),
    Pinned("allauth.account.forms:BaseSignupForm.try_save", ALLAUTH, "fc5529ece8eefb93", SIGNUP_FORM),
    Pinned("allauth.account.forms:BaseSignupForm.validate_unique_email", ALLAUTH, "e22938254838d9b8", SIGNUP_FORM),
    Pinned(
        "allauth.account.internal.flows.email_verification:send_verification_email_to_address",
        ALLAUTH,
        "8473614e57fea5c7",
        SIGNUP_FORM,
    ),
    # WhiteNoise: the middleware's lookup that our asynchronous branch does itself (its table of
    # files, autorefresh's search on disk and the prefixes it searches under) and its answer.
    Pinned("whitenoise.middleware:WhiteNoiseMiddleware.__init__", WHITENOISE, "3a5a52074a3bbd1c", STATIC_FILES),
    Pinned("whitenoise.middleware:WhiteNoiseMiddleware.__call__", WHITENOISE, "538b06958308b801", STATIC_FILES),
    Pinned("whitenoise.middleware:WhiteNoiseMiddleware.serve", WHITENOISE, "5858d32edfbb9db2", STATIC_FILES),
    Pinned(
        "whitenoise.middleware:WhiteNoiseMiddleware.candidate_paths_for_url",
        WHITENOISE,
        "2e4ff22f3cf2bb48",
        STATIC_FILES,
    ),
    Pinned("whitenoise.base:WhiteNoise.find_file", WHITENOISE, "f338d02358b615c5", STATIC_FILES),
    Pinned("whitenoise.base:WhiteNoise.candidate_paths_for_url", WHITENOISE, "86fe46d66ab4a5d8", STATIC_FILES),
    Pinned("whitenoise.base:WhiteNoise.add_files", WHITENOISE, "dfbe7beb6dac6c00", STATIC_FILES),
    # Django's Redis cache client, built per backend (per request under ASGI), which builds a redis
    # client per call (ours keeps one cache client and one redis client per process).
    Pinned("django.core.cache.backends.redis:RedisCacheClient.__init__", DJANGO, "9f9dec1651ff4b27", REDIS_CLIENT),
    Pinned("django.core.cache.backends.redis:RedisCacheClient.get_client", DJANGO, "ba56fb39ace75b84", REDIS_CLIENT),
    Pinned(
        "django.core.cache.backends.redis:RedisCacheClient._get_connection_pool",
        DJANGO,
        "025850f6ffcb98ed",
        REDIS_CLIENT,
    ),
    Pinned("django.core.cache.backends.redis:RedisCache.__init__", DJANGO, "40131bec6169f7fa", REDIS_CLIENT),
    Pinned("django.core.cache.backends.redis:RedisCache._cache.func", DJANGO, "9ff16af6c04a2401", REDIS_CLIENT),
    # Django's execute wrappers, the pending on_commit callbacks (savepoint ids, function, robust)
    # and the mark on a test's own atomic blocks, which kept pages read.
    Pinned("django.db.backends.utils:CursorWrapper._execute_with_wrappers", DJANGO, "1f629e7adeb9d61b", KEPT_PAGES),
    Pinned("django.db.backends.base.base:BaseDatabaseWrapper.on_commit", DJANGO, "81d45040a62e5486", KEPT_PAGES),
    Pinned(
        "django.db.backends.base.base:BaseDatabaseWrapper.run_and_clear_commit_hooks",
        DJANGO,
        "6c41a782da590317",
        KEPT_PAGES,
    ),
    Pinned("django.db.transaction:Atomic.__init__", DJANGO, "cf40ed39a201ab7e", KEPT_PAGES),
    Pinned("django.test.testcases:TestCase._enter_atomics", DJANGO, "4d46a3c8b64374e8", KEPT_PAGES),
]


def upstream(path: str):
    module_name, _, qualified_name = path.partition(":")
    found = importlib.import_module(module_name)
    for name in qualified_name.split("."):
        found = getattr(found, name)
    return found


def source_digest(code) -> str:
    return hashlib.sha256(inspect.getsource(code).encode()).hexdigest()[:16]


@pytest.mark.parametrize("pin", PINNED, ids=lambda pin: pin.upstream)
def test_the_upstream_code_is_the_version_checked(pin):
    package, version = pin.checked
    found = importlib.metadata.version(package), source_digest(upstream(pin.upstream))
    assert found == (version, pin.digest), (
        f"{pin.upstream} is no longer what {pin.ours} was checked against ({package} {version}). "
        f"Re-check {pin.ours} against {package} {found[0]}, then record that version and the hash "
        f"{found[1]} in tests/test_patched_internals.py."
    )


def test_celery_uses_the_platform_qos():
    assert kombu_redis.Channel.QoS is platform_celery.QoS
    for name in ("ack", "reject", "restore_unacked_once"):
        ours, theirs = getattr(platform_celery.QoS, name), getattr(kombu_redis.QoS, name)
        assert inspect.signature(ours) == inspect.signature(theirs), name


def test_a_collected_broker_connection_detaches_its_transport():
    """QoS._detached tells a collected connection by its transport's client being None."""
    connection = Connection("memory://")
    transport = connection.transport
    assert transport.client is connection
    connection.collect()
    assert transport.client is None


def test_the_pubsub_layer_builds_its_own_loop_layer_and_shards():
    """The attributes core/channel_layer.py reads and replaces, on a layer that has not
    connected yet (nothing here talks to Redis)."""
    layer = channel_layer.PubSubChannelLayer(hosts=["redis://127.0.0.1:1/0"], prefix="pinned")

    async def inspect_layer():
        loop_layer = layer._get_layer()
        assert layer._get_layer() is loop_layer  # one per event loop
        assert loop_layer.channel_layer is layer
        assert isinstance(loop_layer, channel_layer._LoopLayer)
        assert loop_layer.channels == {} and loop_layer.groups == {}
        assert loop_layer._get_group_channel_name("g") == "pinned__group__g"
        for shard in loop_layer._shards:
            assert isinstance(shard, channel_layer._Shard)
            assert shard.channel_layer is loop_layer
            assert shard.host == {"address": "redis://127.0.0.1:1/0"}
            assert (shard._redis, shard._pubsub, shard._receive_task) == (None, None, None)
        assert loop_layer._get_shard("specific.x") in loop_layer._shards

    asyncio.run(inspect_layer())
