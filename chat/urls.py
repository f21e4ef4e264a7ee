from django.urls import path, re_path

from chat import views
from chat.models import ROOM_SLUG

app_name = "chat"
ROOM = rf"(?P<room>{ROOM_SLUG})"

urlpatterns = [
    path("", views.rooms_list, name="rooms"),
    re_path(rf"^{ROOM}/$", views.room, name="room"),
    re_path(rf"^{ROOM}/(?P<number>\d{{1,10}})/remove/$", views.remove, name="remove"),
]
