from tests.chat.factories import make_room, send  # noqa: F401 (fixtures)
from tests.realtime.conftest import close_worker_connections  # noqa: F401 (fixture)
