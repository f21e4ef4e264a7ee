from django.shortcuts import render


def index(request):
    return render(request, "support/index.html")


def help_now(request):
    return render(request, "support/help_now.html")


def rules(request):
    return render(request, "support/rules.html")
