app_name = "adstats"
urlpatterns = []
