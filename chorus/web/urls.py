from django.urls import path

from chorus.accounts import views as accounts
from chorus.web import views

app_name = "web"
urlpatterns = [
    path("login/", accounts.login_view, name="login"),
    path("", views.home, name="home"),
]
