from django.urls import path, re_path

from chat import views

app_name = "chat"
ROOM = r"(?P<room>[a-z0-9_-]{1,32})"

urlpatterns = [
    path("", views.rooms_list, name="rooms"),
    re_path(rf"^{ROOM}/$", views.room, name="room"),
    re_path(rf"^{ROOM}/(?P<number>\d{{1,10}})/remove/$", views.remove, name="remove"),
]
