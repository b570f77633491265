app_name = "campaigns_staff"
urlpatterns = []
