app_name = "vacancies_staff"
urlpatterns = []
