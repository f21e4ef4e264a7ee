from tests.chat.factories import make_room, send  # noqa: F401 (fixtures)
