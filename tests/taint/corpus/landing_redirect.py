from django.shortcuts import redirect


def landing(request):
    n = 2
    if 3 * 5 + n > 10:
        where = "/home/"
    else:
        where = request.GET.get("to", "/home/")
    return redirect(where)
