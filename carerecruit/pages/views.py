from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "pages/404.html", status=404)


def server_error(request):
    return render(request, "pages/500.html", status=500)


def forbidden(request, exception=None):
    return render(request, "pages/403.html", status=403)


def bad_request(request, exception=None):
    return render(request, "pages/400.html", status=400)
