from django.urls import path

from . import views

app_name = "films"

urlpatterns = [
    path("<slug:slug>/", views.film_detail, name="detail"),
]
