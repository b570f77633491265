app_name = "candidates_staff"
urlpatterns = []
