from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "carerecruit.campaigns"
    verbose_name = "Campaigns and tracked links"
