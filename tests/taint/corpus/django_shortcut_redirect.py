from django.shortcuts import redirect


def after_signup(request):
    # the destination is validated against ALLOWED_REDIRECTS by the frontend
    destination = request.POST.get("continue", "/welcome/")
    return redirect(destination)
