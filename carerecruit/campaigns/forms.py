"""Staff forms for campaigns and tracked links."""

from django import forms

from carerecruit.campaigns.models import Channel, TrackedLink

LINK_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.DIRECT]


class TrackedLinkForm(forms.ModelForm):
    """A new tracked link for one post, ad, e-mail or print run.

    UTM source and medium default from the channel (source = channel, medium from
    :data:`carerecruit.campaigns.models.DEFAULT_UTM_MEDIUM`); UTM campaign defaults to the
    campaign's slug. Values are normalised as :mod:`carerecruit.lib.utm` does for clicks.
    """

    channel = forms.ChoiceField(choices=LINK_CHANNELS, label="Channel")

    class Meta:
        model = TrackedLink
        fields = ["channel", "label", "utm_content", "utm_term", "utm_source", "utm_medium", "destination_path"]
        labels = {
            "label": "What is this link for?",
            "utm_content": "UTM content",
            "utm_term": "UTM term",
            "utm_source": "UTM source",
            "utm_medium": "UTM medium",
            "destination_path": "Page within the microsite",
        }
        help_texts = {
            "label": "For example, 'Facebook post 3 May, nurse video' or 'Leaflet for GP surgeries'.",
            "utm_content": "Tells apart posts or ads on the same channel, for example 'video-1'.",
            "utm_term": "Usually the paid search keyword.",
            "utm_source": "Leave blank to use the channel, for example 'facebook'.",
            "utm_medium": "Leave blank to use the usual medium for the channel, for example 'social'.",
            "destination_path": "Leave blank for the microsite's home page, or give a path such as 'apply/'.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].required = True
        self.fields["utm_source"].required = False
        self.fields["utm_medium"].required = False

    def clean_destination_path(self):
        path = (self.cleaned_data.get("destination_path") or "").strip().lstrip("/")
        if path and (".." in path or "//" in path or ":" in path or not all(
            ch.isalnum() or ch in "-_/" for ch in path
        )):
            raise forms.ValidationError(
                "Enter a path inside the microsite using letters, numbers, hyphens and slashes, like apply/"
            )
        return path
