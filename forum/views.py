from django.shortcuts import render

from forum.models import Board


def home(request):
    return render(request, "forum/home.html", {"boards": Board.objects.all()})
