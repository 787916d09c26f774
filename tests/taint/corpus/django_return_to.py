from django.http import HttpResponseRedirect


def logout_view(request):
    request.session.flush()
    target = request.GET.get("return_to", "/")
    return HttpResponseRedirect(target)
