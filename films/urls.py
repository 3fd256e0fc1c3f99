from django.urls import path

from . import views

app_name = "films"

urlpatterns = [
    path("", views.film_index, name="index"),
    path("<slug:slug>/", views.film_detail, name="detail"),
]
