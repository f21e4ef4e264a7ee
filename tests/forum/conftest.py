"""Personal information is masked in every room, so these tests borrow chat's and bbs.cgi's
fixtures."""

from tests.chat.factories import make_room, send  # noqa: F401 (fixtures)
from tests.realtime.conftest import close_worker_connections, connect  # noqa: F401 (fixtures)
from tests.twoch.conftest import jdim, night  # noqa: F401 (fixtures)
