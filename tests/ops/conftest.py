from tests.chat.factories import make_room  # noqa: F401 (fixture)
