app_name = "vacancies"
urlpatterns = []
