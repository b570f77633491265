from django.apps import AppConfig, apps


class CandidatesConfig(AppConfig):
    name = "carerecruit.candidates"
    verbose_name = "Candidates and applications"

    def ready(self):
        from carerecruit.candidates.status import read_placement_routes, register_status_reader

        # Self-service shows each council's pipeline stage in plain words.
        if apps.is_installed("carerecruit.placements"):
            register_status_reader(read_placement_routes)
