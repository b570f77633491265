app_name = "selfservice"
urlpatterns = []
