app_name = "talentbank"
urlpatterns = []
