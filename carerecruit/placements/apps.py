from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "carerecruit.placements"
    verbose_name = "Pipeline, checks and placements"

    def ready(self):
        # The candidates app shows each route's stage to the candidate in plain words and
        # includes the pipeline in a subject access export; it asks through registries
        # so that it does not import this app. Erasure needs no eraser from us: every
        # row here is removed by CASCADE from the application.
        try:
            from carerecruit.candidates.status import register_status_reader
            from carerecruit.candidates.subject_access import register_exporter
        except ImportError:  # an older candidates app without the registries
            return
        from carerecruit.placements import candidate_data

        register_status_reader(candidate_data.read_routes)
        for section, exporter in candidate_data.EXPORTERS.items():
            register_exporter(section, exporter)
