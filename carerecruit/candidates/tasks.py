"""Background tasks of the candidates app (Django's tasks API; run by ``carerecruit worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_selfservice_link_task(candidate_code: str | None, base_url: str = "") -> bool:
    """Send the self-service link to the candidate with code ``candidate_code`` (hex);
    ``base_url`` is the site address the link starts with (``https://host``).

    Enqueued for every request on ``/me/``, known address or not (``None``), so the
    request does the same work either way and never waits for a mail server. Returns
    True when a mail was sent; False for no candidate (unknown address, or erased
    since). The queue row holds only the opaque code.
    """
    from carerecruit.candidates.actions import send_selfservice_link

    if not candidate_code:
        return False
    return send_selfservice_link(candidate_code, base_url)
