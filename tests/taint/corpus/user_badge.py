from django.shortcuts import render
from django.urls import path
from django.utils.safestring import mark_safe


def user_badge(request, username):
    badge = mark_safe(f'<span class="badge">{username}</span>')
    return render(request, "badge.html", {"badge": badge})


urlpatterns = [path("users/<username>/badge", user_badge)]
